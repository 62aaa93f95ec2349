#!/usr/bin/env node
// `pnpm reproduce`: runs the write-up's experiments (or those named by --only) with `grok sweep` and `grok crossover`,
// skipping what earlier invocations finished, then writes each experiment's compact results, figures and block of
// docs/reproduction.md. Stop it at any time (Ctrl-C); the same command carries on.
import { InvalidArgumentError, program } from 'commander';
import { checkExperimentNames, EXPERIMENTS, experimentNames, type ExperimentName } from './catalogue';
import { collectExperiment } from './collect';
import { PAGE, RESULTS_DIR, RUNS_DIR } from './paths';
import { experimentCommands, runExperiment } from './run';
import { loadResults, writeFigures, writePage, writeResults } from './write';

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
};

interface Options {
  only?: string;
  list?: boolean;
  train: boolean;
  collect: boolean;
  workers?: number;
  threads?: number;
  queue?: string;
  runs: string;
  results: string;
  page: string;
}

program
  .name('reproduce')
  .description('run the write-up\'s experiments and write their results, figures and the docs page\'s numbers')
  .option('--only <names>', `experiments to run, comma-separated: ${experimentNames.join(', ')}`)
  .option('--list', 'list the experiments and their grok commands, and run nothing')
  .option('--no-train', 'run nothing: collect what the runs directory holds, then redraw')
  .option('--no-collect', 'run nothing and collect nothing: redraw the figures and the page from the committed results.json files')
  .option('--workers <n>', 'local pool: runs at once (grok sweep --workers)', positiveInt('--workers'))
  .option('--threads <n>', 'wasm threads per run (grok sweep --threads)', positiveInt('--threads'))
  .option('--queue <url>', 'send the points to grok workers through BullMQ on the Redis at redis://HOST:PORT')
  .option('--runs <dir>', 'where the runs live (checkpoints and all)', RUNS_DIR)
  .option('--results <dir>', 'where the compact results and figures go', RESULTS_DIR)
  .option('--page <file>', 'the docs page whose blocks are rewritten', PAGE)
  .action(async (o: Options) => {
    const names: ExperimentName[] = o.only ? checkExperimentNames(o.only.split(',').map((s) => s.trim()).filter(Boolean)) : experimentNames;
    if (o.list) {
      for (const name of names) console.log(`${name}: ${EXPERIMENTS[name].title}\n  ${experimentCommands(name, o.runs).join('\n  ')}`);
      return;
    }
    let interrupted = false;
    const stop = () => { interrupted = true; };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    for (const name of names) {
      if (interrupted) break;
      if (o.train && o.collect && !(await runExperiment(name, o.runs, { workers: o.workers, threads: o.threads, queue: o.queue }))) {
        console.error(`reproduce: ${name} stopped before its end; run the same command again to carry on`);
        interrupted = true;
      }
      // What the runs hold so far is written even when interrupted: a long experiment shows its finished points.
      const results = o.collect ? collectExperiment(name, o.runs) : loadResults(name, o.results);
      if (!results) {
        console.error(`reproduce: ${name} has no runs in ${o.runs} yet`);
        continue;
      }
      if (o.collect) console.error(`reproduce: wrote ${writeResults(results, o.results)}`);
      const figures = await writeFigures(results, o.results);
      console.error(`reproduce: ${name}: ${figures.length} figure(s)`);
    }
    writePage(o.page, o.results, names);
    console.error(`reproduce: rewrote ${o.page}`);
    if (interrupted) process.exitCode = 130;
  });

program.parseAsync().catch((err: Error) => {
  console.error(`reproduce: ${err.message}`);
  process.exit(1);
});
