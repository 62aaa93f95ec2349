const preset = require('../jest.preset.cjs');

// Workspace packages are consumed from their built dist/*.cjs; .cjs/.mjs files go through swc too (import() -> require).
module.exports = {
  ...preset,
  transform: {
    '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
};
