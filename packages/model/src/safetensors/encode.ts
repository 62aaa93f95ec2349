// Writes the safetensors format: an 8-byte little-endian header length N, N bytes of JSON header (padded with spaces
// to a multiple of 8 so the data starts 8-aligned), then every tensor's bytes back to back.
import {
  DTYPE_ARRAYS, LITTLE_ENDIAN, METADATA_KEY, type SafetensorsTensor, dtypeSize, isSafetensorsDtype, swapBytes,
} from './dtypes';

interface HeaderEntry { dtype: string; shape: number[]; data_offsets: [number, number] }

/**
 * Encodes tensors (and optional string metadata) as safetensors bytes, readable by `safetensors.torch.load_file`.
 * Tensors are laid out largest element size first (so every tensor starts aligned to its element size), in the
 * order given within a size; header keys follow the same order.
 *
 * @param tensors name -> `{ dtype, shape, data }`, where `data` is the dtype's typed array (Float32Array for F32,
 *   Int32Array for I32, Uint16Array with raw bits for F16/BF16, Uint8Array of 0/1 for BOOL, ...).
 * @param metadata string -> string, stored under `__metadata__`.
 * @throws when a name is empty or `__metadata__`, a dtype is unknown, a shape is not a list of non-negative
 *   integers, the data's type or length does not match, or a metadata value is not a string.
 *
 * @example
 * const bytes = encodeSafetensors(
 *   { 'embed.W_E': { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) } },
 *   { format: 'pt' },
 * );
 * decodeSafetensors(bytes).tensors['embed.W_E'].shape; // [2, 3]
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const names = Object.keys(tensors);
  for (const name of names) checkTensor(name, tensors[name]!);
  // Stable sort: larger elements first keeps each tensor aligned to its element size within the data buffer.
  const order = names
    .map((name, i) => ({ name, i, size: dtypeSize(tensors[name]!.dtype) }))
    .sort((a, b) => b.size - a.size || a.i - b.i)
    .map((e) => e.name);

  // A null-prototype object, so a tensor named `__proto__` is stored as an ordinary key.
  const header: Record<string, HeaderEntry | Record<string, string>> = Object.create(null);
  if (metadata !== undefined) header[METADATA_KEY] = checkMetadata(metadata);
  let offset = 0;
  for (const name of order) {
    const t = tensors[name]!;
    const end = offset + t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // spaces: valid JSON whitespace
  let at = 8 + headerLength;
  for (const name of order) {
    const { data, dtype } = tensors[name]!;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    out.set(bytes, at);
    if (!LITTLE_ENDIAN) swapBytes(out.subarray(at, at + bytes.length), dtypeSize(dtype));
    at += bytes.length;
  }
  return out;
}

function checkTensor(name: string, t: SafetensorsTensor): void {
  if (name === '') throw new Error('tensor names must be non-empty');
  if (name === METADATA_KEY) throw new Error(`"${METADATA_KEY}" is reserved for metadata and cannot name a tensor`);
  if (t === null || typeof t !== 'object') throw new Error(`tensor ${name} must be { dtype, shape, data }, got ${String(t)}`);
  if (!isSafetensorsDtype(t.dtype)) throw new Error(`tensor ${name} has unknown dtype ${JSON.stringify(t.dtype)}`);
  if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new Error(`tensor ${name} shape must be a list of non-negative integers, got ${JSON.stringify(t.shape)}`);
  }
  const Expected = DTYPE_ARRAYS[t.dtype];
  if (!(t.data instanceof Expected)) {
    const got = (t.data as object | null)?.constructor?.name ?? String(t.data);
    throw new Error(`tensor ${name} (${t.dtype}) needs its data in a ${Expected.name}, got ${got}`);
  }
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) {
    throw new Error(`tensor ${name} has shape [${t.shape.join(',')}] (${count} elements) but ${t.data.length} data elements`);
  }
  if (t.dtype === 'BOOL' && (t.data as Uint8Array).some((v) => v > 1)) {
    throw new Error(`tensor ${name} (BOOL) must hold only 0 and 1`);
  }
}

function checkMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new Error(`metadata value for "${key}" must be a string, got ${typeof value}`);
    out[key] = value;
  }
  return out;
}
