// The `grok` command line.
import { Command } from 'commander';
import { addTrainFlags } from './flags';
import { presetsMarkdown, presetsText } from './commands/presets';
import { trainCommand } from './commands/train';
import { memberEndLine, parseStackMembers, trainStackCommand } from './commands/train-stack';
import { analyzeCommand, phasesLine } from './commands/analyze';
import { reportCommand } from './commands/report';
import { addSweepCommands } from './sweep/commands';
import { exitWithParent } from './sweep/exit-with-parent';

// A run that a sweep's pool or worker started dies with it (no orphan writes a run directory another worker resumes).
exitWithParent();

const program = new Command('grok')
  .description('Train the models of "A Mechanistic Interpretability Analysis of Grokking", watch them grok, take them apart.')
  .showHelpAfterError('(add --help for usage)');

program.command('presets').description("list the write-up's experiments")
  .option('--markdown', 'print the table the docs show')
  .action((opts: { markdown?: boolean }) => {
    console.log(opts.markdown ? presetsMarkdown() : presetsText());
  });

addTrainFlags(
  program.command('train')
    .description('train a model, writing a run directory; then analyse it and write its report')
    .option('--preset <name>', 'start from one of the write-up\'s experiments (see `grok presets`)')
    .option('--out <dir>', 'run directory (default runs/<preset or task>-seed<seed>)')
    .option('--resume <dir>', 'continue the run in <dir> from its newest good checkpoint (optionally to a larger --epochs)')
    .option('--no-analyze', 'skip the analysis and report at the end')
    .option('--quiet', 'no progress output'),
).action(async (opts: Record<string, unknown>) => {
  const { preset, out, resume, quiet, analyze, ...flags } = opts;
  const result = await trainCommand({ preset: preset as string | undefined, out: out as string | undefined,
    resume: resume as string | undefined, quiet: Boolean(quiet), flags });
  console.error(`${result.stopped} at epoch ${result.epoch}: ${result.dir}`);
  if (result.stopped === 'interrupted') {
    console.error(`resume with: grok train --resume ${result.dir}`);
    return;
  }
  if (analyze !== false) {
    console.error(phasesLine((await analyzeCommand(result.dir)).phases));
    const report = await reportCommand(result.dir);
    console.error(`report: ${report}`);
  }
});

// What `grok sweep --stack` runs: the members as JSON, [{ "dir": ..., "args": [...] }, ...]; each member's end on stderr.
program.command('train-stack <members>', { hidden: true })
  .description('train runs that differ only in weight decay and (full batch) seed as one stack (see grok sweep --stack)')
  .action(async (json: string) => {
    for (const end of await trainStackCommand(parseStackMembers(json))) console.error(memberEndLine(end));
  });

program.command('analyze <dir>')
  .description('compute the progress measures over the saved checkpoints and the final Fourier analysis (analysis.json)')
  .action(async (dir: string) => {
    console.error(phasesLine((await analyzeCommand(dir)).phases));
    console.error(`analysis: ${dir}/analysis.json`);
  });

program.command('report <dir>')
  .description('write the self-contained HTML report of a run (report.html)')
  .action(async (dir: string) => { console.error(`report: ${await reportCommand(dir)}`); });

addSweepCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`grok: ${(err as Error).message}`);
  process.exitCode = 1;
});
