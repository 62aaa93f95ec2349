// @grokking/trainer/node: what needs Node's file system. The main entry stays free of `fs` so it runs in browsers.
export { createFileStore } from './file-store';
