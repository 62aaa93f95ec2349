// What runs a sweep's points: the local pool (pool.ts) or a BullMQ queue served by `grok worker`s (queue.ts). The
// sweep driver (driver.ts) hands an executor the points left to run and hears back as each starts and ends.
import type { PointResult } from './run-point';
import type { SweepJob } from './stacks';

/** A point's end as an executor reports it: the attempt's result and how many attempts the point took. */
export type PointReport = Omit<PointResult, 'resumedFrom'> & { attempts: number };

/** What an executor tells the driver. */
export interface ExecutorEvents {
  /** A point started (or was taken again after its worker died). */
  started(id: string): void;
  /** A point went back to waiting (its worker died or was stopped). */
  requeued(id: string): void;
  /** A point ended: done, failed, or interrupted (resumable; it is run again when the sweep is). */
  finished(id: string, report: PointReport): void;
}

/** Runs points. */
export interface Executor {
  /** How it runs them, for the progress line: `local pool of 2` or `queue redis://...`. */
  readonly description: string;
  /**
   * Runs the points (a stack's members together, where the executor runs stacks); resolves once every point has ended, or soon after `signal` aborts (the local pool interrupts
   * its runs, which checkpoint; a queue's workers go on, and a rerun re-attaches).
   */
  run(jobs: SweepJob[], events: ExecutorEvents, signal: AbortSignal): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}
