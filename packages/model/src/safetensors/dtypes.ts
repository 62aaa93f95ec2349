// The safetensors element types, their sizes and the typed array that holds each one in JavaScript.

/** A safetensors element type, spelt as in the format's header. */
export type SafetensorsDtype =
  | 'F64' | 'F32' | 'F16' | 'BF16'
  | 'I64' | 'I32' | 'I16' | 'I8'
  | 'U64' | 'U32' | 'U16' | 'U8'
  | 'BOOL';

/**
 * The typed array holding each dtype's elements. F16 and BF16 keep their raw 16-bit patterns (JavaScript has no
 * half-precision arrays); BOOL is one byte per element, 0 or 1.
 */
export interface SafetensorsArrayTypes {
  F64: Float64Array; F32: Float32Array; F16: Uint16Array; BF16: Uint16Array;
  I64: BigInt64Array; I32: Int32Array; I16: Int16Array; I8: Int8Array;
  U64: BigUint64Array; U32: Uint32Array; U16: Uint16Array; U8: Uint8Array;
  BOOL: Uint8Array;
}

/** One tensor: its dtype, its shape (row-major) and its elements. */
export type SafetensorsTensor = {
  [D in SafetensorsDtype]: { dtype: D; shape: number[]; data: SafetensorsArrayTypes[D] };
}[SafetensorsDtype];

/** Any typed array a tensor's data can be. */
export type SafetensorsData = SafetensorsArrayTypes[SafetensorsDtype];

type ArrayConstructorFor<A> = { new (buffer: ArrayBuffer): A; readonly BYTES_PER_ELEMENT: number; readonly name: string };

/** The typed array constructor of each dtype; its BYTES_PER_ELEMENT is the dtype's size. */
export const DTYPE_ARRAYS: { [D in SafetensorsDtype]: ArrayConstructorFor<SafetensorsArrayTypes[D]> } = {
  F64: Float64Array, F32: Float32Array, F16: Uint16Array, BF16: Uint16Array,
  I64: BigInt64Array, I32: Int32Array, I16: Int16Array, I8: Int8Array,
  U64: BigUint64Array, U32: Uint32Array, U16: Uint16Array, U8: Uint8Array,
  BOOL: Uint8Array,
};

/** Every dtype this codec reads and writes. @example SAFETENSORS_DTYPES.includes('BF16'); // true */
export const SAFETENSORS_DTYPES = Object.keys(DTYPE_ARRAYS) as SafetensorsDtype[];

/**
 * Whether `name` is a dtype this codec knows.
 *
 * @example
 * isSafetensorsDtype('F32'); // true
 * isSafetensorsDtype('float32'); // false
 */
export function isSafetensorsDtype(name: unknown): name is SafetensorsDtype {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_ARRAYS, name);
}

/**
 * Bytes per element of a dtype.
 *
 * @example
 * dtypeSize('F32'); // 4
 */
export function dtypeSize(dtype: SafetensorsDtype): number {
  return DTYPE_ARRAYS[dtype].BYTES_PER_ELEMENT;
}

/** Whether this platform stores typed arrays little-endian, as safetensors does (every common one does). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the byte order of each `size`-byte element in place (used only on big-endian platforms). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/** The header key that holds string metadata rather than a tensor. */
export const METADATA_KEY = '__metadata__';

/** The largest header the decoder accepts by default, in bytes (as the reference Rust implementation does). */
export const MAX_HEADER_BYTES = 100_000_000;
