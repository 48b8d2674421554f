/** Tests are specifications; tiers show in the file name: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '.*\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@parley/domain(|/.*)$': '<rootDir>/libs/domain/src$1',
    '^@parley/projections(|/.*)$': '<rootDir>/libs/projections/src$1',
    '^@parley/event-store(|/.*)$': '<rootDir>/libs/event-store/src$1',
  },
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testTimeout: 30000,
};
