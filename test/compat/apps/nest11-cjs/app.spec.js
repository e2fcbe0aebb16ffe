// Nest 11, CommonJS, jest in CommonJS mode (no transform, no --experimental-vm-modules): the
// package is loaded with require, so it is dist/cjs.
require('reflect-metadata');
const common = require('@nestjs/common');
const config = require('@nestjs/config');
const core = require('@nestjs/core');
const terminus = require('@nestjs/terminus');
const rxjs = require('rxjs');
const weirAuth = require('nestjs-weir-auth');
const testing = require('nestjs-weir-auth/testing');
const runScenario = require('./scenario.cjs');

test('runs Nest 11 from CommonJS', () => {
  expect(require('@nestjs/common/package.json').version.split('.')[0]).toBe('11');
  expect(require('@nestjs/terminus/package.json').version.split('.')[0]).toBe('11');
  expect(require.resolve('nestjs-weir-auth')).toMatch(
    /\/node_modules\/nestjs-weir-auth\/dist\/cjs\/index\.js$/,
  );
  expect(require.resolve('nestjs-weir-auth/testing')).toMatch(
    /\/node_modules\/nestjs-weir-auth\/dist\/cjs\/testing\/index\.js$/,
  );
});

test('forRootAsync + ConfigService: token, bearer call to /v1/echo, Terminus health check', async () => {
  await runScenario({ common, core, config, terminus, rxjs, weirAuth, testing });
});
