import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

/**
 * The environment for plain npm: this one without the npm_* variables that pnpm and npm set for the scripts they
 * run (user agent, package fields, config), so npm reads only its own configuration (~/.npmrc, proxies).
 */
export function plainNpmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/** Runs npm with {@link plainNpmEnv}; `timeoutMs` bounds a stuck network call. */
export function npm(args: string[], cwd: string, timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync('npm', args, { cwd, env: plainNpmEnv(), encoding: 'utf8', timeout: timeoutMs });
}

/**
 * Whether npm reaches its registry, asked quickly (`npm ping` without retries, at most 15 s); the reason when it
 * does not.
 */
export function registryUnreachable(cwd: string): string | undefined {
  const ping = npm(['ping', '--fetch-retries=0', '--fetch-timeout=10000'], cwd, 15_000);
  if (ping.status === 0) return undefined;
  const lines = ping.stderr.split('\n').filter((line) => /^npm error/.test(line) && !/complete log/.test(line));
  const why = ping.error?.message ?? (lines[0] || `exit status ${ping.status}`);
  return `npm ping failed: ${why}`;
}
