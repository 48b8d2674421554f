// Runs the TypeScript sources without a build: for tests that start the app as a child process,
// and for the benchmark (npm run bench):
//   node -r ./test/support/register-ts.js apps/api/src/main.ts
// Compiles each .ts file with @swc/core using the repository's .swcrc (as jest does through
// @swc/jest) and resolves the @parley/* path aliases of tsconfig.json.
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@parley\/(domain|projections|event-store)(\/.*)?$/.exec(request);
  if (alias) request = path.join(root, 'libs', alias[1], 'src', alias[2] || '');
  return resolveFilename.call(this, request, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, { ...swcrc, filename, swcrc: false, configFile: false });
  module._compile(code, filename);
};
process.setSourceMapsEnabled(true);
