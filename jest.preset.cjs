// Shared jest settings: TypeScript through swc, tests beside the code they test.
// tfjs-core's dist/ is ESM with extensionless imports; transform it so its gradient module loads under jest.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?@tensorflow(\\+|/)tfjs-core)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};
