// The shapes every task produces. Plain typed arrays, row-major, so any consumer (tfjs, a worker, Python) can use them.

/**
 * A set of examples. Example i's input is `tokens[i * nCtx .. (i + 1) * nCtx)`; its scored slots are
 * `positions[i * nScored + j]` (a position in the input whose logits are scored) with target `targets[i * nScored + j]`.
 */
export interface Dataset {
  /** Number of examples. */
  size: number;
  /** Input tokens, [size, nCtx]. */
  tokens: Int32Array;
  /** The position scored in each slot, [size, nScored]. */
  positions: Int32Array;
  /** The target token (an index into the output vocabulary) of each slot, [size, nScored]. */
  targets: Int32Array;
}

/** What a model and a trainer need to know about a task. */
export interface TaskInfo {
  /** A short name, e.g. `modular-addition`. */
  name: string;
  /** Input vocabulary size (the model's d_vocab). */
  dVocab: number;
  /** Output vocabulary size (the model's d_vocab_out). */
  dVocabOut: number;
  /** Input sequence length (the model's n_ctx). */
  nCtx: number;
  /** Scored slots per example. */
  nScored: number;
  /** The scored positions when every example scores the same ones (a model may then compute only those), else null. */
  fixedPositions: number[] | null;
  /** A label for each input token id, for plots. */
  tokenNames: string[];
  /** A label for each output token id, for plots. */
  outputNames: string[];
  /** A label for each scored slot (e.g. `digit 0`), for per-position loss curves. */
  slotNames: string[];
}
