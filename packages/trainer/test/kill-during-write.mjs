// A run must never be lost: SIGKILL a process while it writes checkpoints, at random moments, again and again; every
// checkpoint the store then lists must read back whole, and the newest must be the one a resume picks.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCheckpoint, latestCheckpoint } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';

const dir = await mkdtemp(join(tmpdir(), 'trainer-kill-'));
const child = fileURLToPath(new URL('./checkpoint-writer.mjs', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
try {
  const store = createFileStore(dir);
  for (let trial = 0; trial < 8; trial++) {
    const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code)));
    await new Promise((resolve) => proc.stdout.once('data', resolve)); // at least one write finished
    await sleep(Math.random() * 120); // then kill it wherever it is: encoding, writing, syncing or renaming
    proc.kill('SIGKILL');
    const how = await exited;
    if (how !== 'SIGKILL') throw new Error(`trial ${trial}: the writer ended with ${how}, not SIGKILL`);
    const epochs = await store.list();
    for (const epoch of epochs) {
      const checkpoint = decodeCheckpoint(await store.read(epoch)); // throws if any listed file is incomplete
      if (checkpoint.epoch !== epoch || checkpoint.params['embed.W_E'].data.some((v) => v !== epoch)) {
        throw new Error(`trial ${trial}: checkpoint ${epoch} holds the wrong data`);
      }
    }
    const { checkpoint, skipped } = await latestCheckpoint(store);
    if (checkpoint?.epoch !== epochs.at(-1) || skipped.length) {
      throw new Error(`trial ${trial}: resume would pick ${checkpoint?.epoch} (skipping ${JSON.stringify(skipped)}), newest is ${epochs.at(-1)}`);
    }
    const temps = (await readdir(dir)).filter((n) => n.includes('.tmp-')).length;
    console.log(`kill trial ${trial}: ${epochs.length} checkpoints, all whole; newest ${epochs.at(-1)}; ${temps} temp file(s) left by kills`);
  }
  console.log('kill-during-write: ok');
} finally {
  await rm(dir, { recursive: true, force: true });
}
