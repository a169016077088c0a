// Funding rates, a data source added by the "add a stage by editing YAML" walk-through
// (docs/add-a-stage.md): one activity fetches them, one joins them onto a dataset as features.
import type { ActivityContext, ActivityFn } from '../context';
import type { ActivityDeps } from '../deps';
import { addFundingFeatures, type AddFundingInput } from './add-features';
import { backfillFundingRates, type BackfillRatesInput } from './backfill';

export function createFundingActivities(deps: ActivityDeps): Record<string, ActivityFn> {
  return {
    'funding.backfillRates': (input: BackfillRatesInput, ctx: ActivityContext) => backfillFundingRates(input, ctx, deps),
    'funding.addFeatures': (input: AddFundingInput, ctx: ActivityContext) => addFundingFeatures(input, ctx, deps),
  };
}

export { fundingSpecs } from './specs';
