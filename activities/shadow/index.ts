// The shadow-evaluation activity, bound to its dependencies.
import type { ActivityContext, ActivityFn } from '../context';
import type { FeaturesActivityDeps } from '../features';
import { evaluateDay, type EvaluateDayInput } from './evaluate-day';

export function createShadowActivities(deps: FeaturesActivityDeps): Record<string, ActivityFn> {
  return {
    'shadow.evaluateDay': (input: EvaluateDayInput, ctx: ActivityContext) => evaluateDay(input, deps, ctx),
  };
}

export { shadowSpecs } from './specs';
export type { EvaluateDayInput, EvaluateDayOutput } from './evaluate-day';
