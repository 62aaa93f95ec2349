// @grokking/fourier-analysis: the Fourier basis of Z_p and the analyses that reverse-engineer modular addition.
export {
  fourierBasis,
  fourierBasisNames,
  nFrequencies,
  frequencyRows,
  isNyquist,
  checkModulus,
  checkFrequency,
  type FourierBasis,
  type FrequencyRows,
} from './basis';
export { fourier1d, fourier2d, fourier2dNorms } from './transform';
export { embeddingFourierNorms, embeddingKeyFrequencies } from './embedding';
export type { FourierNorms } from './norms';
export { sparseKeyFrequencies, SPARSE_KEY_RATIO, type SparseKeyOptions } from './sparse';
export { embeddingPca, type EmbeddingPca, type PcaOptions } from './pca';
export { frequencyFractions, frequencyFractionsAndNorms } from './neurons';
export {
  neuronClusters,
  keyFrequenciesFromClusters,
  defaultMinNeurons,
  CLUSTER_THRESHOLD,
  type NeuronCluster,
  type NeuronClusters,
  type ClusterOptions,
  type KeyFrequencyOptions,
} from './clusters';
export { cosXPlusY, sinXPlusY, xPlusYBasis, projectOntoXPlusY, checkFrequencies } from './directions';
export { fitCosXPlusYMinusZ, type LogitFit } from './logits';
export { unembedFourier, effectiveRank, type UnembedFourier, type UnembedOptions, type ClusterOutput } from './unembed';
export { attentionFrequencies, type AttentionFrequencies, type HeadFrequency } from './attention';
export { giniCoefficient } from './gini';
export {
  analyzeModularAddition,
  type ModularAdditionInputs,
  type ModularAdditionAnalysis,
  type AnalysisOptions,
  type KeyFrequencySource,
} from './analyze';
export {
  primitiveRoot,
  discreteLogs,
  operationGroup,
  GROUP_OPERATIONS,
  type GroupOperation,
  type OperationGroup,
} from './operation-group';
export { groupInputOrder, groupIndexOrder, reindexInputs, reindexOutputs, reindexTokens } from './reindex';
export {
  analyzeModularOperation,
  type ModularOperationInputs,
  type ModularOperationAnalysis,
  type GroupSummary,
} from './analyze-operation';
