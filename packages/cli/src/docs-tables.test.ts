// The docs' generated tables must match the code that owns them (regenerate with `pnpm docs:tables`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { presetNames } from '@grokking/experiments';
import { DOC_BLOCKS, replaceBlock } from './doc-blocks';
import { TRAIN_FLAGS } from './flags';

const ROOT = join(__dirname, '..', '..', '..');

describe.each(DOC_BLOCKS.map((b) => [`${b.file} (${b.name})`, b] as const))('%s', (_, block) => {
  it('matches its generator', () => {
    const page = readFileSync(join(ROOT, block.file), 'utf8');
    expect(replaceBlock(page, block.name, block.render(ROOT))).toBe(page);
  });
});

describe('the generated tables', () => {
  it('list every preset and every flag', () => {
    const blocks = Object.fromEntries(DOC_BLOCKS.map((b) => [b.name, b.render(ROOT)]));
    for (const name of presetNames) expect(blocks.presets).toContain(`| \`${name}\` |`);
    for (const f of TRAIN_FLAGS) expect(blocks.flags).toContain(`\`--${f.flag}`);
  });

  it('replace only what is between the markers, and fail loudly without them', () => {
    expect(replaceBlock('a\n<!-- t:start -->\nold\n<!-- t:end -->\nb', 't', 'new')).toBe('a\n<!-- t:start -->\nnew\n<!-- t:end -->\nb');
    expect(() => replaceBlock('no markers', 't', 'x')).toThrow(/has no <!-- t:start -->/);
  });
});

describe('the guide\'s images', () => {
  it('exist for every image a guide page shows', () => {
    const guide = join(ROOT, 'docs', 'guide');
    const missing: string[] = [];
    for (const page of readdirSync(guide).filter((f) => f.endsWith('.md'))) {
      for (const [, src] of readFileSync(join(guide, page), 'utf8').matchAll(/!\[[^\]]*\]\((\.[^)]+)\)/g)) {
        if (!existsSync(join(dirname(join(guide, page)), src!))) missing.push(`${page}: ${src}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
