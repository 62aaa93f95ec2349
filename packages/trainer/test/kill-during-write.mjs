// A run must never be lost: SIGKILL a process in the middle of writing a checkpoint, again and again; every
// checkpoint the store then lists must read back whole, and the newest must be the one a resume picks.
//
// Each kill is aimed at a write: the writer says `writing <epoch>` just before store.write and `wrote <epoch>` after
// it returns, and the kill follows a `writing` line by 0-3 ms (a write of its 4 MB takes ~5 ms here: the temporary
// file's write and fsync, the rename, the directory's fsync). A kill landed mid-write when that epoch was seen
// started and is not listed afterwards (the rename never happened); most of them leave the temporary file behind.
// Kills that land after the write are still checked, but the run must collect KILLS mid-write kills, at least one of
// them inside the file's write (its temporary file left), within MAX_TRIALS tries.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { checkpointFileName, decodeCheckpoint, latestCheckpoint } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';

const KILLS = 8;
const MAX_TRIALS = 40;
const dir = await mkdtemp(join(tmpdir(), 'trainer-kill-'));
const child = fileURLToPath(new URL('./checkpoint-writer.mjs', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a writer; `started` resolves with the epoch of the first write begun after one has finished. */
function startWriter() {
  const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code)));
  const started = new Promise((resolve, reject) => {
    let finished = 0;
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const [what, epoch] = line.split(' ');
      if (what === 'wrote') finished++;
      if (what === 'writing' && finished > 0) resolve(Number(epoch));
    });
    exited.then((how) => reject(new Error(`the writer ended (${how}) before a second write began`)));
  });
  return { proc, exited, started };
}

try {
  const store = createFileStore(dir);
  let midWrite = 0;
  let inFile = 0;
  for (let trial = 0; trial < MAX_TRIALS && midWrite < KILLS; trial++) {
    const { proc, exited, started } = startWriter();
    const epoch = await started;
    await sleep(Math.random() * 3);
    proc.kill('SIGKILL');
    const how = await exited;
    if (how !== 'SIGKILL') throw new Error(`trial ${trial}: the writer ended with ${how}, not SIGKILL`);

    const epochs = await store.list();
    for (const e of epochs) {
      const checkpoint = decodeCheckpoint(await store.read(e)); // throws if any listed file is incomplete
      if (checkpoint.epoch !== e || checkpoint.params['embed.W_E'].data.some((v) => v !== e)) {
        throw new Error(`trial ${trial}: checkpoint ${e} holds the wrong data`);
      }
    }
    const { checkpoint, skipped } = await latestCheckpoint(store);
    if (checkpoint?.epoch !== epochs.at(-1) || skipped.length) {
      throw new Error(`trial ${trial}: resume would pick ${checkpoint?.epoch} (skipping ${JSON.stringify(skipped)}), newest is ${epochs.at(-1)}`);
    }

    // Where the kill landed: the write of `epoch` was seen started; finished means its file is listed.
    const temp = (await readdir(dir)).some((n) => n.startsWith(`.${checkpointFileName(epoch)}.tmp-${proc.pid}-`));
    const landed = epochs.includes(epoch) ? 'after the write' : temp ? 'mid-write, in the temporary file' : 'mid-write, before the file';
    if (!epochs.includes(epoch)) midWrite++;
    if (!epochs.includes(epoch) && temp) inFile++;
    console.log(`kill trial ${trial}: during epoch ${epoch}'s write, landed ${landed}; ${epochs.length} checkpoints, all whole; newest ${epochs.at(-1)}`);
  }
  if (midWrite < KILLS || inFile < 1) {
    throw new Error(`only ${midWrite} of the kills landed mid-write (${inFile} in the temporary file); wanted ${KILLS} (and 1) within ${MAX_TRIALS} tries`);
  }
  console.log(`kill-during-write: ok (${midWrite} kills mid-write, ${inFile} of them in the temporary file)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
