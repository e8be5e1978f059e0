// Jest runs NestJS 12 (ESM-only) in native ESM mode: see the "test" script.
export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' },
    ],
  },
  // Positive waits allow test/support/patience.ts's PATIENCE_MS each; a test may chain a few.
  testTimeout: 60_000,
  // CommonJS packages that require() the ESM-only Nest (@nestjs/throttler): see test/support/jest/resolver.cjs.
  resolver: '<rootDir>/test/support/jest/resolver.cjs',
  setupFilesAfterEnv: ['<rootDir>/test/support/jest/esm-for-cjs.setup.ts'],
};
