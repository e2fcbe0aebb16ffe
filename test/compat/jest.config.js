// The compatibility suite's own jest config (npm run test:compat): only test/compat/compat.test.ts,
// with the repository's TypeScript transform. The root config does not match that file.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/compat'],
  testMatch: ['**/compat.test.ts'],
  transform: base.transform,
  testTimeout: 300_000,
};
