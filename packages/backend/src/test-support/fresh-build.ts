import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** This package's root (packages/backend). */
export const PACKAGE_ROOT = join(__dirname, '..', '..');

/**
 * Fails unless dist/ was built after the last change to the library's sources: tests that install the built package
 * elsewhere would otherwise test old code.
 */
export function assertFreshBuild(): void {
  const built = join(PACKAGE_ROOT, 'dist', 'index.js');
  let builtAt: number;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    throw new Error(`${built} is missing: run pnpm build first`);
  }
  const src = join(PACKAGE_ROOT, 'src');
  const stale = readdirSync(src)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .filter((f) => statSync(join(src, f)).mtimeMs > builtAt);
  if (stale.length > 0) throw new Error(`dist/ is older than src/${stale.join(', src/')}: run pnpm build first`);
}
