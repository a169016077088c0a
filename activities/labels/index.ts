// The label activities, bound to their dependencies.
import type { ActivityContext, ActivityFn } from '../context';
import type { ActivityDeps } from '../deps';
import { KlineStore } from '../binance/kline-store';
import { buildLabels, type LabelsBuildInput } from './build';

export function createLabelsActivities(deps: ActivityDeps): Record<string, ActivityFn> {
  const klines = new KlineStore(deps.redis);
  return {
    'labels.build': (input: LabelsBuildInput, ctx: ActivityContext) =>
      buildLabels(input, { redis: deps.redis, dataDir: deps.config.dataDir, klines }, ctx),
  };
}

export { forwardReturnLabels } from './forward';
export { barrierLabels } from './barrier';
export { tradeLabels } from './trade-labels';
export { writeSamples, readSamples } from './samples-file';
export { labelsSpecs } from './specs';
export type { Sample, SampleKind } from './sample';
