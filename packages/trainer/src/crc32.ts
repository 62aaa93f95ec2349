// CRC-32 (IEEE 802.3, the zlib / PNG polynomial 0xEDB88320), used to detect a checkpoint whose bytes were damaged
// after it was written: the safetensors structure can survive a flipped bit in the data, the checksum does not.

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * Extends a running CRC-32 with more bytes; start from 0.
 *
 * @example
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * crc32(new TextEncoder().encode('6789'), crc32(new TextEncoder().encode('12345'))); // 0xcbf43926
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const t = crcTable();
  let c = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
