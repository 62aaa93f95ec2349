// Two workers: most of this package's time is end-to-end tests that each run grok on one wasm thread, so on a 2-core
// machine two of them at once use both cores (jest's default there is one worker).
module.exports = { ...require('../../jest.preset.cjs'), maxWorkers: 2 };
