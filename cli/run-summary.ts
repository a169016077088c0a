// What a finished run amounts to, read from its plan (which stage runs which activity) and its
// final state: samples in and out of the features stages, each gate's verdict, what was
// published, where the reports and models are. A run whose gate failed or that published
// nothing is not reported as a plain success. Pure.
import type { Plan, PlanStage } from '../dsl/plan';
import type { RunState, StageState } from '../workflows/run-state';

/** published | gate-failed | nothing-published: the run completed; the rest say how it did not. */
export type PipelineOutcome = 'published' | 'gate-failed' | 'nothing-published' | 'succeeded' | 'failed' | 'cancelled' | 'running';

export interface RunSummary {
  outcome: PipelineOutcome;
  /** Samples into and rows out of each features stage. */
  samples: Array<{ stage: string; in: number; out: number }>;
  gates: Array<{ stage: string; passed: boolean; model: string; reason: string }>;
  publishes: Array<{ stage: string; version: string; published: boolean; latest: string | null; versionDir: string; reason: string }>;
  /** HTML reports, where they are once the run is over (a published run's moved into its version). */
  reports: string[];
  /** Model folders (version folders when published, staging runs otherwise). */
  models: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A stage's outputs as a list: one entry, or one per fan-out item. */
function outputsOf(s: StageState | undefined): Obj[] {
  if (!s || s.status !== 'succeeded') return [];
  const out = s.outputs;
  return (Array.isArray(out) ? out : [out]).filter(isObj);
}

function upstreamOf(plan: Plan, id: string): Set<string> {
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const walk = (sid: string) => {
    for (const n of byId.get(sid)?.needs ?? []) if (!seen.has(n)) (seen.add(n), walk(n));
  };
  walk(id);
  return seen;
}

/** Temporal's execution status name: RUNNING, COMPLETED, FAILED, ... */
export function summarizeRun(plan: Pick<Plan, 'stages'>, state: RunState | undefined, temporalStatus: string): RunSummary {
  const stages = plan.stages;
  const using = (type: string): PlanStage[] => stages.filter((s) => s.uses === type);
  const st = (id: string) => state?.stages[id];
  const summary: RunSummary = { outcome: 'running', samples: [], gates: [], publishes: [], reports: [], models: [] };

  for (const s of using('features.build')) {
    const outs = outputsOf(st(s.id));
    if (outs.length) summary.samples.push({ stage: s.id, in: outs.reduce((n, o) => n + num((o.validity as Obj | undefined)?.in), 0), out: outs.reduce((n, o) => n + num((o.validity as Obj | undefined)?.out ?? o.rows), 0) });
  }
  for (const s of using('training.evaluate')) {
    for (const o of outputsOf(st(s.id))) summary.gates.push({ stage: s.id, passed: o.passed === true, model: str(o.model), reason: str(o.reason) });
  }
  const publishStages = using('models.publish');
  for (const s of publishStages) {
    for (const o of outputsOf(st(s.id))) {
      summary.publishes.push({ stage: s.id, version: str(o.version), published: o.published === true, latest: typeof o.latest === 'string' ? o.latest : null, versionDir: str(o.versionDir), reason: str(o.reason) });
    }
  }
  // A trained run that a later publish stage moved into a version folder is found there.
  for (const s of using('training.train')) {
    const publisher = publishStages.find((p) => upstreamOf(plan as Plan, p.id).has(s.id) && outputsOf(st(p.id)).length);
    if (publisher) {
      for (const o of outputsOf(st(publisher.id))) {
        summary.reports.push(`${str(o.versionDir)}/report/report.html`);
        summary.models.push(str(o.versionDir));
      }
    } else {
      for (const o of outputsOf(st(s.id))) {
        summary.reports.push(`${str(o.runDir)}/report/report.html`);
        summary.models.push(str(o.runDir));
      }
    }
  }
  summary.reports = [...new Set(summary.reports)];
  summary.models = [...new Set(summary.models)];
  summary.outcome = outcomeOf(plan, summary, temporalStatus);
  return summary;
}

function outcomeOf(plan: Pick<Plan, 'stages'>, s: RunSummary, temporalStatus: string): PipelineOutcome {
  if (temporalStatus === 'RUNNING' || temporalStatus === 'CONTINUED_AS_NEW') return 'running';
  if (temporalStatus === 'CANCELLED' || temporalStatus === 'TERMINATED') return 'cancelled';
  if (temporalStatus !== 'COMPLETED') return 'failed';
  if (s.publishes.some((p) => p.published)) return 'published';
  if (s.gates.some((g) => !g.passed) || s.publishes.length) return 'gate-failed';
  const meantToPublish = plan.stages.some((st) => st.uses === 'models.publish' || st.uses === 'training.evaluate');
  return meantToPublish ? 'nothing-published' : 'succeeded';
}

const OUTCOME_LINE: Record<PipelineOutcome, string> = {
  published: 'published',
  'gate-failed': 'COMPLETED, BUT THE GATE FAILED: nothing new is live',
  'nothing-published': 'COMPLETED, BUT NOTHING WAS PUBLISHED (the publish stage did not run)',
  succeeded: 'succeeded',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  running: 'still running',
};

export function renderSummary(s: RunSummary, webUi: string): string {
  const lines = [`outcome: ${s.outcome} — ${OUTCOME_LINE[s.outcome]}`];
  for (const x of s.samples) lines.push(`  samples  ${x.stage}: ${x.in} in, ${x.out} out${x.in ? ` (${((100 * x.out) / x.in).toFixed(1)}% kept)` : ''}`);
  for (const g of s.gates) lines.push(`  gate     ${g.stage}: ${g.passed ? 'passed' : 'FAILED'} (${g.model}) — ${g.reason}`);
  for (const p of s.publishes) {
    lines.push(`  publish  ${p.stage}: ${p.version} ${p.published ? 'published, latest' : `kept but NOT published (latest stays ${p.latest ?? 'unset'})`}${p.reason ? ` — ${p.reason}` : ''}`);
  }
  for (const r of s.reports) lines.push(`  report   ${r}`);
  for (const m of s.models) lines.push(`  model    ${m}`);
  lines.push(`  Web UI   ${webUi}`);
  return lines.join('\n');
}

/** Exit code of `client run`/`status` for an outcome: 0 success, 1 failed, 3 completed without publishing. */
export function outcomeExitCode(outcome: PipelineOutcome): number {
  if (outcome === 'failed' || outcome === 'cancelled') return 1;
  if (outcome === 'gate-failed' || outcome === 'nothing-published') return 3;
  return 0;
}
