const preset = require('../../jest.preset.cjs');

// Workspace packages are consumed from their built dist/*.cjs; @grokking/backend's keeps native `import()` to load a
// backend, which jest's vm rejects without --experimental-vm-modules, so .cjs files go through swc too
// (import() -> require).
module.exports = {
  ...preset,
  setupFiles: ['<rootDir>/jest.setup.cjs'],
  transform: {
    '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
};
