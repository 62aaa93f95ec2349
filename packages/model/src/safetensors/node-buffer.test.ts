import { decodeSafetensors } from './decode';
import { encodeSafetensors } from './encode';

describe('decodeSafetensors on a Node Buffer (what readFileSync returns)', () => {
  it('gives each tensor its own bytes, not a view of the whole file', () => {
    const bytes = encodeSafetensors({
      a: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) },
      b: { dtype: 'F32', shape: [3], data: new Float32Array([3, 4, 5]) },
    });
    // A Buffer inside a larger pool, as small reads from fs often are.
    const pool = Buffer.alloc(bytes.length + 24);
    Buffer.from(bytes).copy(pool, 8);
    const { tensors } = decodeSafetensors(pool.subarray(8, 8 + bytes.length));
    expect(Array.from(tensors.a!.data as Float32Array)).toEqual([1, 2]);
    expect(Array.from(tensors.b!.data as Float32Array)).toEqual([3, 4, 5]);
  });
});
