// Loads models/gbdt lazily: the trainer is only needed when a pipeline asks for 'gbdt', and
// typing it structurally here keeps this folder compiling on its own.
import { NonRetryableError } from '../errors';

export type GbdtParamsLike = Record<string, unknown>;

export interface GbdtModelLike {
  predict(X: Float64Array): Float64Array;
  featureImportance(type: 'gain'): number[];
  toXGBoostJSON(featureNames?: string[]): unknown;
  toXGBoostJSONString?(featureNames?: string[]): string;
  toJSON(): unknown;
  bestIteration?: number;
  trees?: readonly unknown[];
}

export interface GbdtModule {
  trainGbdt(X: Float64Array, y: Float64Array, nFeatures: number, params?: GbdtParamsLike, valid?: { X: Float64Array; y: Float64Array }): GbdtModelLike;
}

const GBDT_MODULE = '../../models/gbdt';

export async function loadGbdt(): Promise<GbdtModule> {
  try {
    const mod = (await import(GBDT_MODULE)) as Partial<GbdtModule>;
    if (typeof mod.trainGbdt !== 'function') throw new Error('models/gbdt does not export trainGbdt');
    return mod as GbdtModule;
  } catch (err) {
    throw new NonRetryableError(`the gbdt model is unavailable: ${(err as Error).message}`, 'ModelUnavailable');
  }
}
