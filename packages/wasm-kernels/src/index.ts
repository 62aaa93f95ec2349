// @grokking/wasm-kernels: fused kernels for TensorFlow.js' wasm backend, written in WebAssembly text (src/*.wat) and
// run on the backend's own memory. Each op says whether the active backend runs it; callers keep a tfjs formulation
// for the others.
export { rowMix, rowMixAvailable, rowMixBackward, ROW_MIX, ROW_MIX_GRAD, type RowMixGrads } from './row-mix';
export {
  crossEntropyAvailable, crossEntropyGrad, crossEntropyParts, CROSS_ENTROPY, CROSS_ENTROPY_GRAD, type CrossEntropyParts,
} from './cross-entropy';
export { elementwise, elementwiseAvailable, ELEMENTWISE, type ElementwiseOp } from './elementwise';
export { softmax, softmaxAvailable, softmaxBackward, SOFTMAX, SOFTMAX_GRAD } from './softmax';
export { adamStep, adamStepAvailable, ADAM_STEP, type AdamScalars } from './adam';
export { transpose2d, transpose2dAvailable, TRANSPOSE_2D } from './transpose';
export {
  concat2d, gatherRows, matrixCopyAvailable, pad2d, slice2d, CONCAT_2D, GATHER_ROWS, PAD_2D, SLICE_2D, type MatrixPadding,
} from './matrix-copy';
export { batchMatMul, batchMatMulAvailable, BATCH_MATMUL } from './batch-matmul';
