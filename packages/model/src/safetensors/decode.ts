// Reads and validates the safetensors format. Every check runs before any tensor is copied, and each tensor's size
// is checked against bytes actually present, so a corrupt or hostile file gives an error, never a huge allocation.
import {
  DTYPE_ARRAYS, LITTLE_ENDIAN, MAX_HEADER_BYTES, METADATA_KEY, type SafetensorsDtype, type SafetensorsTensor,
  dtypeSize, isSafetensorsDtype, swapBytes,
} from './dtypes';

/**
 * An invalid safetensors file; the message says what is wrong and where.
 *
 * @example
 * try { decodeSafetensors(bytes); } catch (err) { if (err instanceof SafetensorsError) console.error(err.message); }
 */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** Options for {@link decodeSafetensors}. */
export interface DecodeOptions {
  /** The largest header accepted, in bytes (default 100,000,000, as the reference implementation). */
  maxHeaderBytes?: number;
}

/** What {@link decodeSafetensors} returns: tensors by name and the string metadata (empty when there is none). */
export interface DecodedSafetensors {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

interface Entry { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }

/**
 * Decodes safetensors bytes, validating the whole file first: the header length lies within the file and the limit,
 * the header is UTF-8 JSON object text, metadata values are strings, every dtype is known, every shape is a list of
 * non-negative integers whose byte size equals its `data_offsets` span, and the tensors tile the data buffer exactly
 * (no gap, no overlap, nothing out of range). Tensor data are copied into fresh typed arrays.
 *
 * @throws {SafetensorsError} naming the first problem found.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(encodeSafetensors(
 *   { x: { dtype: 'I32', shape: [2], data: Int32Array.of(7, 8) } }, { note: 'hi' }));
 * tensors.x.data; // Int32Array [7, 8]
 * metadata.note; // 'hi'
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeOptions = {}): DecodedSafetensors {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError('safetensors input must be a Uint8Array');
  const maxHeader = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
  if (bytes.length < 8) {
    throw new SafetensorsError(`file is ${bytes.length} bytes; a safetensors file needs at least 8 (the header length)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(maxHeader)) {
    throw new SafetensorsError(`header length ${headerLength} exceeds the limit of ${maxHeader} bytes`);
  }
  const n = Number(headerLength);
  if (8 + n > bytes.length) {
    throw new SafetensorsError(`header length ${n} runs past the end of the file (${bytes.length} bytes, header from byte 8)`);
  }
  const header = parseHeader(bytes.subarray(8, 8 + n));
  const dataStart = 8 + n;
  const bufferLength = bytes.length - dataStart;

  const metadata: Record<string, string> = Object.create(null);
  const entries: Entry[] = [];
  for (const key of Object.keys(header)) {
    const value = header[key];
    if (key === METADATA_KEY) readMetadata(value, metadata);
    else entries.push(readEntry(key, value));
  }
  checkLayout(entries, bufferLength);

  const tensors: Record<string, SafetensorsTensor> = Object.create(null);
  for (const e of entries) {
    // A fresh, aligned buffer. (Not bytes.slice: on a Node Buffer it is a view of the whole file's memory.)
    const copy = new Uint8Array(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    if (!LITTLE_ENDIAN) swapBytes(copy, dtypeSize(e.dtype));
    const data = new DTYPE_ARRAYS[e.dtype](copy.buffer);
    if (e.dtype === 'BOOL' && (data as Uint8Array).some((v) => v > 1)) {
      throw new SafetensorsError(`tensor ${e.name} (BOOL) holds a byte other than 0 or 1`);
    }
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data } as SafetensorsTensor;
  }
  return { tensors, metadata };
}

function parseHeader(raw: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    throw new SafetensorsError('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) {
    throw new SafetensorsError(`header must be a JSON object starting with "{", got ${JSON.stringify(text.slice(0, 20))}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SafetensorsError('header must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function readMetadata(value: unknown, into: Record<string, string>): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SafetensorsError(`"${METADATA_KEY}" must be an object of strings`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new SafetensorsError(`metadata value for "${key}" must be a string, got ${v === null ? 'null' : typeof v}`);
    }
    into[key] = v;
  }
}

function readEntry(name: string, value: unknown): Entry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SafetensorsError(`tensor ${name}: header entry must be an object with dtype, shape and data_offsets`);
  }
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') {
      throw new SafetensorsError(`tensor ${name}: unexpected header field "${key}"`);
    }
  }
  const { dtype, shape, data_offsets: offsets } = fields;
  if (!isSafetensorsDtype(dtype)) throw new SafetensorsError(`tensor ${name}: unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
    throw new SafetensorsError(`tensor ${name}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || (o as number) < 0)) {
    throw new SafetensorsError(`tensor ${name}: data_offsets must be two non-negative integers, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new SafetensorsError(`tensor ${name}: data_offsets [${begin}, ${end}] end before they begin`);
  // Multiply step by step, stopping once past the span: a hostile shape cannot overflow or allocate.
  const span = end - begin;
  let bytesNeeded = (shape as number[]).includes(0) ? 0 : dtypeSize(dtype);
  for (const d of shape as number[]) {
    bytesNeeded *= d;
    if (bytesNeeded > span) break;
  }
  if (bytesNeeded !== span) {
    throw new SafetensorsError(
      `tensor ${name}: shape [${(shape as number[]).join(',')}] of ${dtype} needs ` +
        `${bytesNeeded > span ? `more than ${span}` : bytesNeeded} bytes but data_offsets [${begin}, ${end}] span ${span}`,
    );
  }
  return { name, dtype, shape: [...(shape as number[])], begin, end };
}

/** The tensors must tile [0, bufferLength) exactly: sorted by offset, each begins where the previous ends. */
function checkLayout(entries: Entry[], bufferLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.end > bufferLength) {
      throw new SafetensorsError(`tensor ${e.name}: data_offsets [${e.begin}, ${e.end}] run past the data buffer (${bufferLength} bytes)`);
    }
    if (e.begin < at) throw new SafetensorsError(`tensor ${e.name}: data_offsets [${e.begin}, ${e.end}] overlap the previous tensor (ends at ${at})`);
    if (e.begin > at) throw new SafetensorsError(`tensor ${e.name}: gap in the data buffer between bytes ${at} and ${e.begin}`);
    at = e.end;
  }
  if (at !== bufferLength) {
    throw new SafetensorsError(`the tensors cover ${at} bytes of a ${bufferLength}-byte data buffer; the file has trailing or missing data`);
  }
}
