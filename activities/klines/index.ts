// The live-klines activities: consumers of the bot's market.tick and market.klines streams, their
// reconciliation with Binance, and the simulated feeds the demo and tests replay.
import type { ActivityContext, ActivityFn } from '../context';
import type { ActivityDeps } from '../deps';
import { klinesConsume, type ConsumeInput } from './consume-bars';
import { klinesFromTicks, type FromTicksInput } from './from-ticks';
import { reconcileKlines, type ReconcileInput } from './reconcile';
import { simulateBars, simulateTicks, type SimulateInput, type SimulateTicksInput } from './simulate';

export function createKlinesActivities(deps: ActivityDeps): Record<string, ActivityFn> {
  return {
    'klines.fromTicks': (input: FromTicksInput, ctx: ActivityContext) => klinesFromTicks(input, ctx, deps),
    'klines.consume': (input: ConsumeInput, ctx: ActivityContext) => klinesConsume(input, ctx, deps),
    'klines.reconcile': (input: ReconcileInput, ctx: ActivityContext) => reconcileKlines(input, ctx, deps),
    'klines.simulateTicks': (input: SimulateTicksInput, ctx: ActivityContext) => simulateTicks(input, ctx, deps),
    'klines.simulateBars': (input: SimulateInput, ctx: ActivityContext) => simulateBars(input, ctx, deps),
  };
}

export { klinesSpecs } from './specs';
export { klinesFromTicks, TICKS_NAMESPACE } from './from-ticks';
export { klinesConsume, BOT_NAMESPACE } from './consume-bars';
export { reconcileKlines, compareBars } from './reconcile';
export { simulateTicks, simulateBars } from './simulate';
