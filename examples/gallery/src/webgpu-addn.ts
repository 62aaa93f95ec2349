// Workaround: tfjs-backend-webgpu 4.22's AddN binds every input as a storage buffer in one shader, and WebGPU's
// default limit is 8 storage buffers per stage, so tf.addN of 8 or more tensors makes an invalid pipeline (the
// command buffer it joins fails, and results turn to garbage). The trainer's NaN watch adds one term per parameter
// (16 for the small transformer). This re-registers AddN on webgpu to sum at most 7 tensors per program.
import { getKernel, registerKernel, unregisterKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

const MAX_INPUTS = 7;

/** Makes webgpu's AddN sum in chunks of at most 7 inputs. Call once the webgpu backend is ready. */
export function chunkWebGpuAddN(): void {
  const original = getKernel('AddN', 'webgpu');
  if (!original || (original.kernelFunc as { chunked?: boolean }).chunked) return;
  const run = original.kernelFunc as KernelFunc;
  const chunked: KernelFunc = ({ inputs, backend, attrs }) => {
    let tensors = inputs as unknown as TensorInfo[];
    const made: TensorInfo[] = [];
    while (tensors.length > MAX_INPUTS) {
      const next: TensorInfo[] = [];
      for (let i = 0; i < tensors.length; i += MAX_INPUTS) {
        const part = tensors.slice(i, i + MAX_INPUTS);
        if (part.length === 1) next.push(part[0]!);
        else {
          const sum = run({ inputs: part as never, backend, attrs }) as TensorInfo;
          made.push(sum);
          next.push(sum);
        }
      }
      tensors = next;
    }
    const result = run({ inputs: tensors as never, backend, attrs }) as TensorInfo;
    for (const t of made) (backend as { disposeData(id: object): void }).disposeData(t.dataId);
    return result;
  };
  (chunked as { chunked?: boolean }).chunked = true;
  unregisterKernel('AddN', 'webgpu');
  registerKernel({ kernelName: 'AddN', backendName: 'webgpu', kernelFunc: chunked });
}
