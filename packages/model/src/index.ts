// @grokking/model: hooked transformers and MLPs in TensorFlow.js with TransformerLens names, and safetensors.
export {
  type ActFn,
  type NormalizationType,
  type TransformerConfig,
  type TransformerOptions,
  type MlpConfig,
  LN_EPS,
  defineTransformerConfig,
  validateTransformerConfig,
  toTransformerLensConfig,
  defineMlpConfig,
  validateMlpConfig,
} from './config';
export {
  type TaskShape,
  type PresetOverrides,
  type TransformerArchitecture,
  type MlpArchitecture,
  ARCHITECTURES,
  MLP_ARCHITECTURE,
  modularAdditionConfig,
  repeatedSubsequenceConfig,
  maxElementConfig,
  digitAdditionConfig,
  modularAdditionMlpConfig,
} from './presets';
export { type ParamSpec, transformerParamSpecs, mlpParamSpecs, initialValues } from './init';
export {
  type Model,
  type ModelDescription,
  type ModelConfigs,
  type ModelKind,
  type ConfigOf,
  type CacheOptions,
  isModelKind,
} from './model';
export { HookedTransformer, createTransformer, type RunWithCacheOptions, type CachedRun } from './transformer';
export { HookedMlp, createMlp, type MlpHookName } from './mlp-model';
export { StackedTransformer, createStackedTransformer, stackTransformers, memberSlice } from './stacked';
export {
  type HookName,
  type BlockHook,
  type AttentionHook,
  type LayerNormHook,
  type HookTensor,
  type HookFn,
  type HookMap,
  type HookFilter,
  type HookPredicate,
  ActivationCache,
  transformerHookNames,
} from './hooks';
export { type StateDict, type StateDictEntry, stateDict, stateDictAsync, loadStateDict, checkStateDict } from './state-dict';
export { saveModel, loadModel } from './serialize';
export {
  MODEL_FORMAT_VERSION,
  MODEL_METADATA_KEY,
  TRANSFORMER_LENS_METADATA_KEY,
  modelMetadata,
  readModelMetadata,
  weightTensors,
  weightsOf,
} from './weights-format';
export { modelFromStateDict } from './rebuild';
export { matmul } from './components/matmul';
export { crossEntropy, preciseCrossEntropy, naiveCrossEntropy, type LossForm } from './loss';
export { embedTokens } from './components/embed';
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
