// Jest in ESM mode: NestJS 12 ships ES modules only, which Jest on Node 20 cannot require().
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Its ES build imports JSON without an import attribute, which Jest's ESM mode deprecates.
    '^libphonenumber-js/max$': '<rootDir>/node_modules/libphonenumber-js/max/index.cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    // See the transformer: CommonJS packages that require() the ESM-only Nest core.
    '/node_modules/@nestjs/(common|core)/.+\\.js$':
      '<rootDir>/test/support/esm-to-cjs.transformer.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/(common|core)/)'],
  testEnvironment: 'node',
};

export default {
  // A guard against hangs on a loaded 2-core machine, not a speed expectation.
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: [
        '**/*.e2e-spec.ts',
        '**/*.contract-spec.ts',
        '**/*.int-spec.ts',
        '**/*.browser-spec.ts',
      ],
    },
  ],
};
