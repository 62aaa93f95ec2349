// The child processes' one argument reader: `--name value` from process.argv.

/**
 * The value after `--name`, else the fallback; without a fallback the flag is required.
 *
 * @example
 * arg('backend'); // 'wasm' for `node dist/tfjs-child.js --backend wasm`
 * arg('epochs', '3:30:10');
 */
export function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}
