// Where checkpoints live. The trainer core talks only to this interface, so it runs unchanged in a browser or a Web
// Worker (an in-memory or IndexedDB store) and in Node (the atomic file store in `@grokking/trainer/node`).

/**
 * A place to keep checkpoints, one per epoch. `write` must be atomic: after a crash at any moment, `read` of an
 * epoch returns either nothing new or the complete bytes (the trainer still checks every checkpoint it reads).
 *
 * @example
 * const store: CheckpointStore = createMemoryStore();
 * await store.write(100, bytes);
 * await store.list(); // [100]
 */
export interface CheckpointStore {
  /** The epochs stored, ascending. */
  list(): Promise<number[]>;
  /** The bytes of the checkpoint for an epoch; rejects when there is none. */
  read(epoch: number): Promise<Uint8Array>;
  /** Stores (or replaces) the checkpoint for an epoch. */
  write(epoch: number, bytes: Uint8Array): Promise<void>;
}

/**
 * The file name of an epoch's checkpoint: zero-padded so names sort by epoch (`epoch-0000100.safetensors`).
 *
 * @example
 * checkpointFileName(100); // 'epoch-0000100.safetensors'
 */
export function checkpointFileName(epoch: number): string {
  checkEpoch(epoch);
  return `epoch-${String(epoch).padStart(7, '0')}.safetensors`;
}

/**
 * The epoch of a checkpoint file name, or null when the name is not one (temporary files, other files).
 *
 * @example
 * epochFromFileName('epoch-0000100.safetensors'); // 100
 * epochFromFileName('.epoch-0000100.safetensors.tmp-12-ab'); // null
 */
export function epochFromFileName(name: string): number | null {
  const match = /^epoch-(\d{7,})\.safetensors$/.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * Throws unless `epoch` is a non-negative safe integer.
 *
 * @example
 * checkEpoch(-1); // Error: epoch must be a non-negative integer, got -1
 */
export function checkEpoch(epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new Error(`epoch must be a non-negative integer, got ${epoch}`);
}

/**
 * A checkpoint store held in memory (copies of the bytes, so later changes to a caller's array do not reach it).
 * Useful in a browser tab, a worker that posts checkpoints elsewhere, or tests.
 *
 * @example
 * const store = createMemoryStore();
 * await train({ ..., checkpoint: { store, every: 1000 } });
 * const bytes = await store.read((await store.list()).at(-1)!);
 */
export function createMemoryStore(): CheckpointStore {
  const files = new Map<number, Uint8Array>();
  return {
    list: async () => [...files.keys()].sort((a, b) => a - b),
    read: async (epoch) => {
      const bytes = files.get(epoch);
      if (!bytes) throw new Error(`no checkpoint for epoch ${epoch}`);
      return bytes.slice();
    },
    write: async (epoch, bytes) => {
      checkEpoch(epoch);
      files.set(epoch, bytes.slice());
    },
  };
}
