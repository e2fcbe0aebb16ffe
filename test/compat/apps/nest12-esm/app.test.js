// Nest 12, ES modules: the package is loaded with import, so it is dist/esm.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import * as common from '@nestjs/common';
import * as config from '@nestjs/config';
import * as core from '@nestjs/core';
import * as terminus from '@nestjs/terminus';
import * as rxjs from 'rxjs';
import * as weirAuth from 'nestjs-weir-auth';
import * as testing from 'nestjs-weir-auth/testing';
import runScenario from './scenario.cjs';

const require = createRequire(import.meta.url);

test('runs Nest 12 from ES modules', () => {
  assert.equal(require('@nestjs/common/package.json').version.split('.')[0], '12');
  assert.match(
    import.meta.resolve('nestjs-weir-auth'),
    /\/node_modules\/nestjs-weir-auth\/dist\/esm\/index\.js$/,
  );
  assert.match(
    import.meta.resolve('nestjs-weir-auth/testing'),
    /\/node_modules\/nestjs-weir-auth\/dist\/esm\/testing\/index\.js$/,
  );
});

test('forRootAsync + ConfigService: token, bearer call to /v1/echo, Terminus health check', async () => {
  await runScenario({ common, core, config, terminus, rxjs, weirAuth, testing });
});

test('require of the same package gives a second copy of each class (the dual-package hazard)', () => {
  const required = require('nestjs-weir-auth');
  assert.match(require.resolve('nestjs-weir-auth'), /\/dist\/cjs\/index\.js$/);
  assert.notEqual(required.WeirTokenService, weirAuth.WeirTokenService);
  assert.notEqual(required.WeirAuthModule, weirAuth.WeirAuthModule);
});
