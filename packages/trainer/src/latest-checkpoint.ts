// Finding the checkpoint to resume from: the newest one that reads back whole. A newest file that is truncated,
// damaged or unreadable (a crash mid-write on a store without atomic writes, a disk fault) is skipped, with the
// reason kept, and the one before it is used.
import { decodeCheckpoint, type Checkpoint } from './checkpoint';
import type { CheckpointStore } from './store';

/** A checkpoint that was passed over, and why. */
export interface SkippedCheckpoint {
  epoch: number;
  reason: string;
}

/** What {@link latestCheckpoint} found. */
export interface LatestCheckpoint {
  /** The newest good checkpoint, or null when there is none. */
  checkpoint: Checkpoint | null;
  /** Newer checkpoints that could not be read, newest first. */
  skipped: SkippedCheckpoint[];
}

/**
 * The newest checkpoint in a store that decodes and verifies cleanly.
 *
 * @example
 * const { checkpoint, skipped } = await latestCheckpoint(store);
 * checkpoint?.epoch; // e.g. 3000, with skipped = [{ epoch: 4000, reason: 'checksum mismatch: ...' }]
 */
export async function latestCheckpoint(store: CheckpointStore): Promise<LatestCheckpoint> {
  const epochs = [...(await store.list())].sort((a, b) => b - a);
  const skipped: SkippedCheckpoint[] = [];
  for (const epoch of epochs) {
    try {
      const checkpoint = decodeCheckpoint(await store.read(epoch));
      if (checkpoint.epoch !== epoch) {
        throw new Error(`it records epoch ${checkpoint.epoch} but is stored as epoch ${epoch}`);
      }
      return { checkpoint, skipped };
    } catch (err) {
      skipped.push({ epoch, reason: (err as Error).message });
    }
  }
  return { checkpoint: null, skipped };
}
