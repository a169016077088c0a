// training.evaluate: applies the pipeline's gate to a run's CV metrics, records gate.json in the
// run folder and re-renders the report and summary with the verdict.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActivityContext } from '../context';
import { InvalidInputError, NonRetryableError } from '../errors';
import { evaluateGate, type GateSpec } from '../../models/evaluation/gate';
import { modelRoot } from '../../models/registry/layout';
import { activeDriftAlarm } from '../../models/registry/shadow';
import { readRunMetrics, writeReport } from './report/write-report';

export interface EvaluateInput {
  runDir: string;
  gate: GateSpec;
}

export interface EvaluateOutput {
  passed: boolean;
  reason: string;
  model: string;
  summary: string;
}

export async function evaluate(input: EvaluateInput, ctx: ActivityContext, deps: { config: { dataDir: string } }): Promise<EvaluateOutput> {
  let metrics;
  try {
    metrics = await readRunMetrics(input.runDir);
  } catch (err) {
    throw new NonRetryableError(`no metrics.json in ${input.runDir}: ${(err as Error).message}`, 'RunNotFound');
  }
  const drift = await activeDriftAlarm(modelRoot(deps.config.dataDir, metrics.name));
  let result;
  try {
    result = evaluateGate(metrics.models, metrics.primary, input.gate, metrics.leakSuspect, drift);
  } catch (err) {
    throw new InvalidInputError((err as Error).message);
  }
  await writeFile(path.join(input.runDir, 'gate.json'), JSON.stringify({ ...result, gate: input.gate, evaluatedAt: new Date().toISOString() }, null, 2));
  const { text } = await writeReport(input.runDir);
  ctx.log(text);
  return { passed: result.passed, reason: result.reason, model: result.model, summary: text };
}
