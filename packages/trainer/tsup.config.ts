import { packageConfig } from '../../tsup.base';

// index: the browser-safe core; node: what needs Node's file system (the atomic file checkpoint store).
export default packageConfig({ entry: ['src/index.ts', 'src/node.ts'] });
