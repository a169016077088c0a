// The activity types a pipeline may `use`, with the JSON Schema of their inputs: what the DSL
// validates against and what the published JSON Schema offers editors. Pure data.
import type { ActivitySpec } from '../dsl/activity-spec';
import { coreSpecs } from './core/specs';
import { binanceSpecs } from './binance/specs';
import { planBackfillSpec } from './binance/plan-backfill';
import { tradesSpecs } from './trades/specs';
import { labelsSpecs } from './labels/specs';
import { featuresSpecs } from './features/specs';
import { trainingSpecs } from './training/specs';
import { klinesSpecs } from './klines/specs';
import { shadowSpecs } from './shadow/specs';
import { fundingSpecs } from './funding/specs';

export const activitySpecs: ActivitySpec[] = [
  ...coreSpecs,
  ...binanceSpecs,
  planBackfillSpec,
  ...tradesSpecs,
  ...labelsSpecs,
  ...featuresSpecs,
  ...trainingSpecs,
  ...klinesSpecs,
  ...shadowSpecs,
  ...fundingSpecs,
];

export const catalog: Record<string, ActivitySpec> = Object.fromEntries(activitySpecs.map((s) => [s.name, s]));
