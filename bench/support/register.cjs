// Lets `node -r ./bench/support/register.cjs bench/run.ts` run the TypeScript sources directly:
// the bench measures lib/ as it is now, without waiting for (or trusting) a build in dist/.
//
// - *.ts files are compiled on load by @swc/core with the decorator options jest.config.js uses
//   (scripts/swc-decorators.json: legacy decorators + metadata, which Nest's DI needs).
// - 'nestjs-weir-auth', '/testing' and '/redis' resolve to lib/, as they do under jest and tsc.
// - Relative specifiers written with '.js' (the ESM style lib/ uses) fall back to the '.ts' file.
'use strict';
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS require hook */

const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');
const aliases = new Map([
  ['nestjs-weir-auth', path.join(root, 'lib', 'index.ts')],
  ['nestjs-weir-auth/testing', path.join(root, 'lib', 'testing', 'index.ts')],
  ['nestjs-weir-auth/redis', path.join(root, 'lib', 'redis', 'index.ts')],
]);

const swcOptions = {
  jsc: require('../../scripts/swc-decorators.json'),
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWithAliases(request, parent, ...rest) {
  let target = aliases.get(request) ?? request;
  if (
    target === request &&
    /^\.{1,2}\//.test(request) &&
    request.endsWith('.js') &&
    parent?.filename?.endsWith('.ts')
  ) {
    const asTs = path.resolve(path.dirname(parent.filename), `${request.slice(0, -3)}.ts`);
    if (fs.existsSync(asTs)) target = asTs;
  }
  return resolveFilename.call(this, target, parent, ...rest);
};

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, filename });
  module._compile(code, filename);
};
