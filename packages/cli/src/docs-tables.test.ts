// The docs' preset table is generated: it must match what `grok presets --markdown` prints from PRESETS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { presetNames } from '@grokking/experiments';
import { presetsMarkdown } from './commands/presets';

describe('docs/guide/experiments.md', () => {
  it('holds the preset table generated from PRESETS (regenerate with `pnpm grok presets --markdown`)', () => {
    const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'guide', 'experiments.md'), 'utf8');
    const block = /<!-- presets:start -->\n([\s\S]*?)\n<!-- presets:end -->/.exec(page);
    expect(block).not.toBeNull();
    expect(block![1]).toBe(presetsMarkdown());
    for (const name of presetNames) expect(block![1]).toContain(`| \`${name}\` |`);
  });
});
