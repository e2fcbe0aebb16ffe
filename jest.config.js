/** @type {import('jest').Config} */
// Legacy decorators with their metadata, as tsc emits for the build: Nest's DI needs both.
const swcOptions = { jsc: require('./scripts/swc-decorators.json'), module: { type: 'commonjs' } };

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/sample'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swcOptions] },
  // Nest 12 packages ship ESM only; jest runs CommonJS, so they are transformed too.
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleNameMapper: {
    '^nestjs-weir-auth$': '<rootDir>/lib/index.ts',
    '^nestjs-weir-auth/testing$': '<rootDir>/lib/testing/index.ts',
    '^nestjs-weir-auth/redis$': '<rootDir>/lib/redis/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 30000,
};
