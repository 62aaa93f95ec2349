// `grok presets`: the write-up's experiments, one line each.
import { PRESETS } from '../presets';

/** The preset table as text. */
export function presetsText(): string {
  const width = Math.max(...PRESETS.map((p) => p.name.length));
  return PRESETS.map((p) => `${p.name.padEnd(width)}  ${p.summary}`).join('\n');
}
