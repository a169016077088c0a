// The training domain's activities: training.train, training.evaluate, models.publish.
import type { ActivityFn } from '../context';
import type { ActivityDeps } from '../deps';
import type { Dataset } from './dataset';
import { train, type TrainOutput } from './train';
import { evaluate, type EvaluateInput, type EvaluateOutput } from './evaluate';
import { publish, type PublishInput, type PublishOutput } from './publish';
import type { TrainInput } from './config';

export type { TrainInput, TrainOutput, EvaluateInput, EvaluateOutput, PublishInput, PublishOutput };

export function createTrainingActivities(
  deps: ActivityDeps & { loadDataset?: (file: string) => Promise<Dataset> },
): Record<'training.train' | 'training.evaluate' | 'models.publish', ActivityFn> {
  return {
    'training.train': (input: TrainInput, ctx) => train(input, ctx, deps),
    'training.evaluate': (input: EvaluateInput, ctx) => evaluate(input, ctx, deps),
    'models.publish': (input: PublishInput, ctx) => publish(input, ctx, deps),
  };
}
