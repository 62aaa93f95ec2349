// @grokking/model: hooked transformers and MLPs in TensorFlow.js with TransformerLens names, and safetensors.
export {
  type SafetensorsDtype,
  type SafetensorsTensor,
  type SafetensorsData,
  type SafetensorsArrayTypes,
  SAFETENSORS_DTYPES,
  dtypeSize,
  isSafetensorsDtype,
} from './safetensors/dtypes';
export { encodeSafetensors } from './safetensors/encode';
export { decodeSafetensors, SafetensorsError, type DecodeOptions, type DecodedSafetensors } from './safetensors/decode';
