/* eslint-disable */
// Runs the TypeScript sources of the benchmark (and of the app it drives) without a build step:
// a require hook that compiles each .ts file with @swc/core, the compiler the tests already use
// (same options as .swcrc), and resolves the @parley/* path aliases of tsconfig.json.
// Usage: node -r ./bench/register.js bench/main.ts
'use strict';
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const aliases = {
  '@parley/domain': path.join(root, 'libs/domain/src'),
  '@parley/projections': path.join(root, 'libs/projections/src'),
  '@parley/event-store': path.join(root, 'libs/event-store/src'),
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const match = /^(@parley\/[a-z-]+)(\/.*)?$/.exec(request);
  if (match && aliases[match[1]]) request = aliases[match[1]] + (match[2] || '');
  return resolveFilename.call(this, request, parent, ...rest);
};

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
  configFile: false,
};

require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, { ...options, filename });
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
