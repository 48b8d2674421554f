#!/usr/bin/env node
// @ts-check
'use strict';

// The `parley` command (package.json "bin"): plain JavaScript, so it runs on a fresh clone after
// `npm install` with no build. See cli/main.js, or `npx parley --help`.
const { main } = require('../cli/main');

process.stdout.on('error', (error) => {
  if (/** @type {NodeJS.ErrnoException} */ (error).code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(
      `parley: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
