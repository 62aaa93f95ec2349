// Paired rounds for the targets' ratios: PyTorch last, ours, PyTorch all, again and again (A B A B …), each ratio
// taken within its round, so a drift in this shared machine's speed moves both sides of it. The medians of the
// per-round ratios are the figures to quote; the table's single-run ratios can swing with the load.
import { median } from './timing';

/** Seconds per epoch of each side in each round, and the ratios taken round by round. */
export interface PairedResult {
  rounds: number;
  /** What "ours" is: the runner, backend and formulation. */
  ours: string;
  oursS: number[];
  torchLastS: number[];
  torchAllS: number[];
  /** ours / PyTorch last, per round. */
  vsLast: number[];
  /** ours / PyTorch all, per round. */
  vsAll: number[];
}

/** One round's three medians (seconds per epoch). */
export interface PairedRound {
  torchLast: number;
  ours: number;
  torchAll: number;
}

/**
 * Runs `rounds` rounds and collects the ratios.
 *
 * @example
 * const paired = pairedRounds(5, 'trainer, tfjs-wasm, last', () => ({ torchLast: 0.07, ours: 0.06, torchAll: 0.15 }));
 */
export function pairedRounds(rounds: number, ours: string, round: (i: number) => PairedRound): PairedResult {
  const result: PairedResult = { rounds, ours, oursS: [], torchLastS: [], torchAllS: [], vsLast: [], vsAll: [] };
  for (let i = 0; i < rounds; i++) {
    const r = round(i);
    result.torchLastS.push(r.torchLast);
    result.oursS.push(r.ours);
    result.torchAllS.push(r.torchAll);
    result.vsLast.push(r.ours / r.torchLast);
    result.vsAll.push(r.ours / r.torchAll);
  }
  return result;
}

/** The paired ratios as a few lines of markdown. */
export function pairedLines(p: PairedResult): string[] {
  const span = (xs: number[]) => `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})`;
  return [
    '',
    `Paired rounds (${p.rounds}, each: PyTorch last, ${p.ours}, PyTorch all; median over rounds, min–max in brackets):`,
    '',
    '| | s / epoch | ÷ PyTorch last | ÷ PyTorch all |',
    '|---|---:|---:|---:|',
    `| ${p.ours} | ${span(p.oursS)} | ${span(p.vsLast)} | ${span(p.vsAll)} |`,
    `| PyTorch last | ${span(p.torchLastS)} | | |`,
    `| PyTorch all | ${span(p.torchAllS)} | | |`,
  ];
}
