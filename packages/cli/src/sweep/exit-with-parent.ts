// A `grok` process that a sweep started (a pool slot's or a worker's child) must not outlive that parent: if the
// worker is killed, even by SIGKILL, its queue job is taken again by another worker and resumed from the run
// directory's last checkpoint, and an orphan still training there would write over it. The parent starts its
// children with an IPC channel; the channel closes when the parent dies, however it dies.

/**
 * When this process has an IPC channel to a parent, exits (code 1) as soon as the parent goes away; otherwise does
 * nothing. The channel does not keep the process alive.
 *
 * @example
 * exitWithParent(); // first thing in bin.ts
 */
export function exitWithParent(): void {
  if (!process.channel) return;
  process.channel.unref();
  process.on('disconnect', () => {
    // Checkpoints are written atomically, so a hard stop here loses at most the epochs since the last one.
    process.exit(1);
  });
}
