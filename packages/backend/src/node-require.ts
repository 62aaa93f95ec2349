/**
 * A CommonJS `require` anchored at this package, for Node only. It loads Node's built-in modules as the objects other
 * CommonJS code shares (an ESM namespace of `node:os` could not be patched), and resolves files of the backends
 * installed beside this package. `node:module` is imported by a computed name so browser bundlers leave it alone.
 */
export async function nodeRequire(): Promise<NodeJS.Require> {
  const moduleName = 'node:module';
  const { createRequire } = (await import(/* @vite-ignore */ moduleName)) as typeof import('node:module');
  // CommonJS (the CJS build, jest) has __filename; ESM has import.meta.url.
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}
