// Checkpoints as files in a directory, written atomically: the bytes go to a temporary file in the same directory,
// which is flushed to disk (fsync) and then renamed over the final name, and the directory is flushed so the rename
// itself survives a power cut. A kill at any moment leaves either the old state or the complete new file; a leftover
// temporary file is never listed. Node only: import it from `@grokking/trainer/node`.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkEpoch, checkpointFileName, epochFromFileName, type CheckpointStore } from './store';

/**
 * A checkpoint store in a directory (created when missing), one `epoch-0000100.safetensors` file per checkpoint.
 *
 * @example
 * import { createFileStore } from '@grokking/trainer/node';
 * const store = createFileStore('runs/mod-113');
 * await train({ ..., checkpoint: { store, every: 1000 }, resume: true });
 */
export function createFileStore(dir: string): CheckpointStore {
  let ready: Promise<unknown> | null = null;
  const ensureDir = () => (ready ??= mkdir(dir, { recursive: true }));
  return {
    list: async () => {
      await ensureDir();
      const epochs = (await readdir(dir)).map(epochFromFileName).filter((e): e is number => e !== null);
      return epochs.sort((a, b) => a - b);
    },
    read: async (epoch) => {
      checkEpoch(epoch);
      const bytes = await readFile(join(dir, checkpointFileName(epoch)));
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    write: async (epoch, bytes) => {
      await ensureDir();
      const name = checkpointFileName(epoch);
      const temp = join(dir, `.${name}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
      try {
        await writeDurably(temp, bytes);
        await rename(temp, join(dir, name));
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      await syncDirectory(dir);
    },
  };
}

/** Writes a new file and flushes it to disk before returning. */
async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory entry change (the rename) to disk; platforms that cannot open directories skip it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return; // Windows cannot open a directory for syncing; its rename is still atomic
  }
  try {
    await handle.sync();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw err;
  } finally {
    await handle.close();
  }
}
