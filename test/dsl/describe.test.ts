import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline, describePlan, planToMermaid } from '../../dsl';
import { testCatalog } from './catalog';

const { plan } = compilePipeline(readFileSync(join(__dirname, 'fixtures', 'nightly.yaml'), 'utf8'), { file: 'nightly.yaml', catalog: testCatalog });

describe('describePlan', () => {
  it('lists parallel groups, fan-out, conditions, retry and timeout per stage', () => {
    const text = describePlan(plan!);
    expect(text).toContain(`pipeline nightly-training (plan ${plan!.hash.slice(0, 12)})`);
    expect(text).toContain('parallel group 1: archive, backfill');
    expect(text).toContain('parallel group 2: train');
    expect(text).toContain('parallel group 4: publish');
    expect(text).toContain('fan-out: one activity per item of ${{ params.symbols }}, at most 2 at once');
    expect(text).toContain("runs only when ${{ stages.evaluate.outputs.message != '' && params.threshold > 0.1 }}");
    expect(text).toContain('retry: 20 attempts, 2s × 2 up to 2m, not retried on InvalidInput');
    expect(text).toContain('timeout: start-to-close 1h30m, heartbeat 30s');
    expect(text).toContain("schedule: '15 0 * * MON-FRI' Europe/Paris, overlap bufferOne, catch-up 3d");
    expect(text).toContain('symbols: string[] = ["BTCUSDT","ETHUSDT","SOLUSDT"]');
  });
});

describe('planToMermaid', () => {
  it('draws a top-down flowchart with one subgraph per parallel group', () => {
    const chart = planToMermaid(plan!);
    const lines = chart.split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(chart).toContain('subgraph group1["parallel group 1"]');
    expect(chart).toContain('archive --> train');
    expect(chart).toContain('backfill --> train');
    expect(chart).toContain('evaluate --> publish');
    expect(chart).toContain("backfill[[\"<b>backfill</b><br/>core.sleep<br/>forEach ${{ params.symbols }}, ≤2 at once\"]]");
    expect(chart).toMatch(/publish\{\{".*when .*#quot;|publish\{\{".*when /);
    expect(chart).toContain('class backfill forEach');
    expect(chart).toContain('class publish when');
    expect(chart).not.toMatch(/"[^"\n]*"[^\]\}\n]*"/); // labels never contain raw quotes
  });
});
