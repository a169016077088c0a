// A run scope for evaluating expressions in tests.
import type { ExprScope } from '../../dsl/plan';

export function testScope(overrides: Partial<ExprScope> = {}): ExprScope {
  return {
    params: { n: 3, name: 'btc', symbols: ['BTCUSDT', 'ETHUSDT'], nested: { a: { b: 7 } }, flag: false, nothing: null },
    run: { id: 'r1', workflowId: 'wf-1', pipeline: 'demo', logicalDate: '2024-03-10', startedAt: '2024-03-11T00:15:00.000Z' },
    stages: { fetch: { outputs: { rows: 120, files: ['a.csv', 'b.csv'] }, status: 'completed' } },
    ...overrides,
  };
}
