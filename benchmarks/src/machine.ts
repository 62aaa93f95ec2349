import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

/** The machine a result came from. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  tfjs: string;
  /** 1-minute load average before the run: other work on the machine makes timings noisy. */
  loadBefore: number;
  loadAfter?: number;
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type();
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

/** Describes this machine (CPU model, cores, memory, OS, Node and tfjs versions, load). */
export function machineInfo(): MachineInfo {
  const require = createRequire(import.meta.url);
  const tfjs = (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${osName()} (${os.arch()})`,
    node: process.version,
    tfjs,
    loadBefore: os.loadavg()[0]!,
  };
}
