import { createRng } from '@grokking/tasks';
import { SafetensorsError, decodeSafetensors } from './decode';
import { encodeSafetensors } from './encode';
import type { SafetensorsTensor } from './dtypes';

const ascii = (s: string) => new TextEncoder().encode(s);

/** Builds a file by hand: u64 little-endian header length, header text, data bytes. */
function handBuilt(header: string, data: number[] = [], declaredLength?: bigint): Uint8Array {
  const h = ascii(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('encodeSafetensors', () => {
  it('writes the exact bytes of the format for a small file', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: Float32Array.of(1, -2) } });
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 characters, padded to 56
    expect(header.length).toBe(54);
    const expected = [56, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), 0x20, 0x20,
      0x00, 0x00, 0x80, 0x3f, // 1.0f little-endian
      0x00, 0x00, 0x00, 0xc0]; // -2.0f
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('puts metadata first, lays out larger elements first, and keeps every tensor aligned', () => {
    const bytes = encodeSafetensors(
      {
        flag: { dtype: 'BOOL', shape: [3], data: Uint8Array.of(1, 0, 1) },
        big: { dtype: 'I64', shape: [1], data: BigInt64Array.of(-5n) },
        w: { dtype: 'F32', shape: [1, 1], data: Float32Array.of(0.5) },
      },
      { format: 'pt' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual(['__metadata__', 'big', 'w', 'flag']);
    expect(header.big.data_offsets).toEqual([0, 8]);
    expect(header.w.data_offsets).toEqual([8, 12]);
    expect(header.flag.data_offsets).toEqual([12, 15]);
    expect(Array.from(bytes.subarray(8 + n, 8 + n + 8))).toEqual([0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  });

  it('rejects bad input with errors that name the tensor', () => {
    const f = new Float32Array(2);
    expect(() => encodeSafetensors({ '': { dtype: 'F32', shape: [2], data: f } })).toThrow(/non-empty/);
    expect(() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [2], data: f } })).toThrow(/reserved/);
    expect(() => encodeSafetensors({ x: { dtype: 'F32', shape: [3], data: f } })).toThrow(/x has shape \[3\] \(3 elements\) but 2/);
    expect(() => encodeSafetensors({ x: { dtype: 'F32', shape: [-2], data: f } })).toThrow(/non-negative integers/);
    expect(() => encodeSafetensors({ x: { dtype: 'I32', shape: [2], data: f } as unknown as SafetensorsTensor })).toThrow(/Int32Array, got Float32Array/);
    expect(() => encodeSafetensors({ x: { dtype: 'F17', shape: [2], data: f } as unknown as SafetensorsTensor })).toThrow(/unknown dtype "F17"/);
    expect(() => encodeSafetensors({ x: { dtype: 'BOOL', shape: [1], data: Uint8Array.of(2) } })).toThrow(/only 0 and 1/);
    expect(() => encodeSafetensors({}, { n: 3 as unknown as string })).toThrow(/metadata value for "n" must be a string/);
  });
});

describe('decodeSafetensors', () => {
  it('reads a hand-built file with metadata and several dtypes', () => {
    const header = '{"__metadata__":{"k":"v"},"h":{"dtype":"F16","shape":[1],"data_offsets":[4,6]},' +
      '"i":{"dtype":"I32","shape":[],"data_offsets":[0,4]},"e":{"dtype":"U8","shape":[0,3],"data_offsets":[6,6]}}';
    const bytes = handBuilt(header, [0x2a, 0, 0, 0, 0x00, 0x3c]); // I32 42; F16 bits 0x3c00 = 1.0
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ k: 'v' });
    expect(tensors.i).toEqual({ dtype: 'I32', shape: [], data: Int32Array.of(42) });
    expect(tensors.h).toEqual({ dtype: 'F16', shape: [1], data: Uint16Array.of(0x3c00) });
    expect(tensors.e).toEqual({ dtype: 'U8', shape: [0, 3], data: new Uint8Array(0) });
  });

  it('round-trips every dtype, scalars, empty tensors and awkward names', () => {
    const tensors: Record<string, SafetensorsTensor> = {
      f64: { dtype: 'F64', shape: [2], data: Float64Array.of(Math.PI, -0) },
      f32: { dtype: 'F32', shape: [2, 2], data: Float32Array.of(1.5, -Infinity, NaN, 3e-40) },
      bf16: { dtype: 'BF16', shape: [1], data: Uint16Array.of(0x3f80) },
      i64: { dtype: 'I64', shape: [1], data: BigInt64Array.of(-(2n ** 62n)) },
      u64: { dtype: 'U64', shape: [1], data: BigUint64Array.of(2n ** 64n - 1n) },
      i16: { dtype: 'I16', shape: [1], data: Int16Array.of(-300) },
      i8: { dtype: 'I8', shape: [1], data: Int8Array.of(-7) },
      u32: { dtype: 'U32', shape: [], data: Uint32Array.of(4e9) },
      u16: { dtype: 'U16', shape: [1], data: Uint16Array.of(65535) },
      empty: { dtype: 'F32', shape: [3, 0], data: new Float32Array(0) },
      ['__proto__']: { dtype: 'BOOL', shape: [2], data: Uint8Array.of(0, 1) },
      'blocks.0.attn.W_Q': { dtype: 'F32', shape: [1, 1, 1], data: Float32Array.of(7) },
    } as Record<string, SafetensorsTensor>;
    const decoded = decodeSafetensors(encodeSafetensors(tensors, { 'ünïcode': '✓' }));
    expect(decoded.metadata).toEqual({ 'ünïcode': '✓' });
    expect(Object.keys(decoded.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) expect(decoded.tensors[name]).toEqual(t);
  });

  it('reads a subarray that does not start at its buffer start', () => {
    const bytes = encodeSafetensors({ x: { dtype: 'F64', shape: [1], data: Float64Array.of(2.25) } });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeSafetensors(shifted.subarray(3)).tensors.x!.data).toEqual(Float64Array.of(2.25));
  });

  const f32 = (offsets: string, shape = '[1]') => `"t":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}`;
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['too short', new Uint8Array(5), /5 bytes; a safetensors file needs at least 8/],
    ['header past the end', handBuilt('{}', [], 100n), /header length 100 runs past the end/],
    ['huge header length', handBuilt('{}', [], 2n ** 63n), /exceeds the limit/],
    ['not UTF-8', handBuilt('{}').map((b, i) => (i === 9 ? 0xff : b)), /not valid UTF-8/],
    ['not JSON', handBuilt('{"a":'), /not valid JSON/],
    ['not an object', handBuilt('[1]'), /must be a JSON object/],
    ['unknown dtype', handBuilt('{"t":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}', [0]), /t: unknown dtype "F8"/],
    ['negative dim', handBuilt(`{${f32('[0,4]', '[-1]')}}`, [0, 0, 0, 0]), /non-negative integers, got \[-1\]/],
    ['fractional dim', handBuilt(`{${f32('[0,4]', '[1.5]')}}`, [0, 0, 0, 0]), /non-negative integers/],
    ['shape/offset mismatch', handBuilt(`{${f32('[0,8]')}}`, new Array(8).fill(0)), /needs 4 bytes but data_offsets \[0, 8\] span 8/],
    ['absurd shape', handBuilt(`{${f32('[0,4]', '[1e15,1e15]')}}`, [0, 0, 0, 0]), /needs more than 4 bytes/],
    ['offsets reversed', handBuilt(`{${f32('[4,0]')}}`, [0, 0, 0, 0]), /end before they begin/],
    ['offsets out of range', handBuilt(`{${f32('[4,8]')}}`, [0, 0, 0, 0]), /run past the data buffer/],
    ['gap', handBuilt(`{${f32('[4,8]')}}`, new Array(8).fill(0)), /gap in the data buffer between bytes 0 and 4/],
    ['overlap', handBuilt(`{${f32('[0,4]')},"u":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}`, new Array(6).fill(0)), /overlap/],
    ['trailing bytes', handBuilt(`{${f32('[0,4]')}}`, new Array(5).fill(0)), /cover 4 bytes of a 5-byte data buffer/],
    ['metadata not strings', handBuilt('{"__metadata__":{"a":1}}'), /metadata value for "a" must be a string, got number/],
    ['bad entry', handBuilt('{"t":5}'), /header entry must be an object/],
    ['extra field', handBuilt('{"t":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"x":1}}'), /unexpected header field "x"/],
    ['bad bool', handBuilt('{"t":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}', [3]), /BOOL/],
  ];
  it.each(cases)('rejects %s with a clear error', (_label, bytes, message) => {
    expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });

  it('honours a smaller header limit', () => {
    const bytes = encodeSafetensors({}, { note: 'x'.repeat(100) });
    expect(() => decodeSafetensors(bytes, { maxHeaderBytes: 64 })).toThrow(/exceeds the limit of 64 bytes/);
  });

  it('gives a SafetensorsError, never a crash, for every truncation and for random corruption', () => {
    const bytes = encodeSafetensors(
      { a: { dtype: 'F32', shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) }, b: { dtype: 'I64', shape: [2], data: BigInt64Array.of(1n, 2n) } },
      { format: 'pt' },
    );
    for (let len = 0; len < bytes.length; len++) {
      expect(() => decodeSafetensors(bytes.subarray(0, len))).toThrow(SafetensorsError);
    }
    const rng = createRng(7);
    let rejected = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const copy = bytes.slice();
      const flips = 1 + rng.int(4);
      for (let k = 0; k < flips; k++) copy[rng.int(copy.length)] = rng.int(256);
      try {
        decodeSafetensors(copy);
      } catch (err) {
        expect(err).toBeInstanceOf(SafetensorsError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100); // most header corruptions are caught; data corruption is not detectable
  });
});
