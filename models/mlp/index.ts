export { useBackend, type TfBackend } from './backend';
export { trainMlp, type TrainMlpOptions } from './train';
export { MlpModel, type MlpMeta, type EpochLog } from './model';
export { saveMlp, loadMlp, MODEL_JSON, WEIGHTS_BIN } from './io';
export { DEFAULT_MLP_PARAMS, resolveMlpParams, type MlpParams, type Activation } from './params';
export { fitStandardizer, standardize, type Standardizer } from './scaler';
