import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStore } from './file-store';
import { checkpointFileName } from './store';

describe('file checkpoint store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trainer-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes zero-padded files, lists them by epoch and reads them back', async () => {
    const store = createFileStore(join(dir, 'run')); // created on first use
    await store.write(100, Uint8Array.of(1, 2, 3));
    await store.write(5, Uint8Array.of(4));
    expect(await store.list()).toEqual([5, 100]);
    expect(await store.read(100)).toEqual(Uint8Array.of(1, 2, 3));
    expect((await readdir(join(dir, 'run'))).sort()).toEqual(['epoch-0000005.safetensors', 'epoch-0000100.safetensors']);
    await store.write(100, Uint8Array.of(9)); // replaces
    expect(await store.read(100)).toEqual(Uint8Array.of(9));
    await expect(store.read(7)).rejects.toThrow('ENOENT');
  });

  it('never lists what a write killed before its rename leaves behind', async () => {
    const store = createFileStore(dir);
    await store.write(10, Uint8Array.of(1));
    await writeFile(join(dir, `.${checkpointFileName(20)}.tmp-4242-abcdefgh`), Uint8Array.of(1, 2)); // a killed write
    await writeFile(join(dir, 'notes.txt'), 'not a checkpoint');
    expect(await store.list()).toEqual([10]);
  });

  it('shows readers only complete files while writes are in flight', async () => {
    const store = createFileStore(dir);
    const size = 1 << 20;
    const payload = (epoch: number) => new Uint8Array(size).fill(epoch % 251);
    const writes = (async () => {
      for (let epoch = 1; epoch <= 12; epoch++) await store.write(epoch, payload(epoch));
    })();
    let done = false;
    void writes.then(() => (done = true));
    let reads = 0;
    while (!done) {
      for (const epoch of await store.list()) {
        const bytes = await store.read(epoch);
        expect(bytes.length).toBe(size);
        expect(bytes[0]).toBe(epoch % 251);
        expect(bytes[size - 1]).toBe(epoch % 251);
        reads += 1;
      }
    }
    await writes;
    expect(reads).toBeGreaterThan(0);
    expect(await store.list()).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]); // no temp files left
  });

  it('leaves the old file and no temp file when a write fails', async () => {
    const store = createFileStore(dir);
    await store.write(3, Uint8Array.of(7));
    const bad = { buffer: 'not bytes' } as unknown as Uint8Array;
    await expect(store.write(3, bad)).rejects.toThrow();
    expect(await readFile(join(dir, checkpointFileName(3)))).toEqual(Buffer.from([7]));
    expect(await readdir(dir)).toEqual([checkpointFileName(3)]);
  });
});
