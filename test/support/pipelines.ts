// Compiles pipeline YAML written inline in a test, failing loudly on any DSL error.
import { compilePipeline, formatError } from '../../dsl';
import type { Plan } from '../../dsl/plan';
import { catalog } from '../../activities/catalog';
import { pathRoots } from '../../activities/paths';
import { loadConfig } from '../../config';

export function compileYaml(text: string, file = 'test.yaml'): Plan {
  const { plan, errors } = compilePipeline(text, { file, catalog, roots: pathRoots(loadConfig()) });
  if (!plan || errors.length) throw new Error(`pipeline does not compile:\n${errors.map(formatError).join('\n')}`);
  return plan;
}

export interface BackfillPipelineOptions {
  name: string;
  /** Default of the `barsPerChunk` param (bars of one fan-out item). */
  barsPerChunk: number;
  /** Fan-out items run at once. */
  concurrency: number;
  /** false pins REST (pages of 1000 bars); true is the default path: archives for past days, REST for what they lack. */
  archives: boolean;
  maxAttempts: number;
  heartbeat: string;
}

/** The two-stage backfill pipeline (planBackfill → backfillKlines over its chunks) the backfill, fault and scale-out tests run. */
export function backfillPipelineYaml(o: BackfillPipelineOptions): string {
  return `name: ${o.name}
params:
  symbols: { type: array, items: string }
  from: { type: string }
  to: { type: string }
  barsPerChunk: { type: integer, default: ${o.barsPerChunk} }
stages:
  plan:
    uses: binance.planBackfill
    with: { symbols: "\${{ params.symbols }}", interval: 1m, from: "\${{ params.from }}", to: "\${{ params.to }}", barsPerChunk: "\${{ params.barsPerChunk }}" }
  backfill:
    uses: binance.backfillKlines
    needs: plan
    forEach: "\${{ stages.plan.outputs.chunks }}"
    concurrency: ${o.concurrency}
    with: { symbol: "\${{ item.symbol }}", interval: 1m, from: "\${{ item.from }}", to: "\${{ item.to }}", chunk: "\${{ item.chunk }}", concurrency: 1, archives: ${o.archives} }
    retry: { maxAttempts: ${o.maxAttempts}, initialInterval: 200ms, maxInterval: 2s }
    timeout: { startToClose: 10m, heartbeat: ${o.heartbeat} }
`;
}
