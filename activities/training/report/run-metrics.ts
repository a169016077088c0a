// The shape of a run's metrics.json, shared by train, evaluate, publish and the report.
import type { ModelCvResult } from '../../../models/evaluation/summary';
import type { GateResult } from '../../../models/evaluation/gate';
import type { SymbolMetrics } from '../../../models/evaluation/by-symbol';
import type { SleeveResult } from '../../../models/evaluation/backtest';
import type { WorkflowRef } from '../../context';
import type { FoldInfo } from '../cross-validate';

export interface RunMetrics {
  format: 'trainflow.metrics/v1';
  name: string;
  runId: string;
  createdAt: string;
  /** The Temporal workflow that trained the run (null when trained outside Temporal). */
  workflow?: WorkflowRef | null;
  dataset: { file: string; sha256: string; rows: number; features: number; symbols: string[]; timeSpan: { from: number; to: number } };
  cv: { scheme: 'walk-forward'; folds: number; horizonMs: number; gapMs: number; embargoMs: number; barMs: number; validFraction: number };
  primary: string;
  models: Record<string, ModelCvResult>;
  folds: FoldInfo[];
  warnings: string[];
  leakSuspect: boolean;
  /** Out-of-sample metrics per symbol (forecasts pooled over the test folds). */
  bySymbol?: Record<string, SymbolMetrics>;
  /** Sign strategy on the out-of-sample forecasts, net of fees, compounded (equal sleeve per symbol). */
  backtest: {
    feePerSide: number;
    byModel: Record<string, { total: number; buyHold: number; trades: number; fees: number; bySymbol?: Record<string, SleeveResult> }>;
  };
  final: { ensembleWeights?: Record<string, number>; modelInfo: Record<string, Record<string, unknown>>; featureImportance?: { type: 'gain'; byFeature: Record<string, number> } };
  /** One plain sentence per model: does it beat the naive baselines? */
  verdicts: Record<string, string>;
}

export type { GateResult };
