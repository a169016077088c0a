// What a run came to, beyond "the workflow completed": did it publish a model, did a gate fail,
// how many samples went in and came out, where the report and the models are. Shown as the
// `PipelineOutcome` search attribute (Web UI list), in the memo, in the workflow result and the
// `status` query, and printed by `client run`/`status`. Pure: the interpreter calls it.
import type { Plan } from '../dsl/plan';
import type { RunState, StageState } from './run-state';

/**
 * - `published`: a models.publish stage switched `latest` to a new version.
 * - `gate-failed`: a training.evaluate gate failed and nothing was published.
 * - `nothing-published`: the pipeline can publish but did not (publish skipped, or `latest` was
 *   already newer), and no gate failed.
 * - `succeeded`: every stage finished and the pipeline has nothing to publish (backfills, archives).
 * - `failed` / `cancelled`: the run itself failed or was cancelled.
 */
export const PIPELINE_OUTCOMES = ['published', 'gate-failed', 'nothing-published', 'succeeded', 'failed', 'cancelled'] as const;
export type PipelineOutcome = (typeof PIPELINE_OUTCOMES)[number];

export interface SamplesSummary {
  stage: string;
  /** Samples the stage received (features.build) — absent for stages that create them (labels). */
  in?: number;
  /** Samples (dataset rows) the stage produced. */
  out: number;
}

export interface GateSummary {
  stage: string;
  passed: boolean;
  reason: string;
  model?: string;
}

export interface PublishSummary {
  stage: string;
  version: string;
  /** True when `latest` now points to this version. */
  published: boolean;
  latest: string | null;
  path: string;
  /** The training run it versioned. */
  runId?: string;
  reason?: string;
}

export interface RunSummary {
  outcome: PipelineOutcome;
  /** One line for lists and logs. */
  headline: string;
  samples: SamplesSummary[];
  gates: GateSummary[];
  published: PublishSummary[];
  /** report.html of each training run (in its version folder once published). */
  reports: string[];
  /** Folders holding the trained models (version folders, or staging runs not yet versioned). */
  models: string[];
  failedStage?: string;
  error?: string;
}

type Outputs = Record<string, unknown>;
const isObject = (v: unknown): v is Outputs => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const joinPath = (dir: string, file: string) => `${dir.replace(/\/+$/, '')}/${file}`;

const PUBLISHING_TYPES = new Set(['models.publish', 'training.evaluate']);

export function summarizeRun(plan: Pick<Plan, 'stages'>, state: Pick<RunState, 'status' | 'stages' | 'error'>): RunSummary {
  const summary: RunSummary = { outcome: 'succeeded', headline: '', samples: [], gates: [], published: [], reports: [], models: [] };
  const trainedRuns: string[] = [];
  for (const stage of plan.stages) {
    const st: StageState | undefined = state.stages[stage.id];
    if (!st || st.status !== 'succeeded' || !isObject(st.outputs)) continue;
    const o = st.outputs;
    switch (stage.uses) {
      case 'labels.build': {
        const out = num(o.count);
        if (out !== undefined) summary.samples.push({ stage: stage.id, out });
        break;
      }
      case 'features.build': {
        const v = isObject(o.validity) ? o.validity : {};
        const out = num(v.out) ?? num(o.rows);
        if (out !== undefined) summary.samples.push({ stage: stage.id, in: num(v.in), out });
        break;
      }
      case 'training.train': {
        const dir = str(o.runDir);
        if (dir) trainedRuns.push(dir);
        break;
      }
      case 'training.evaluate':
        if (typeof o.passed === 'boolean') summary.gates.push({ stage: stage.id, passed: o.passed, reason: str(o.reason) ?? '', model: str(o.model) });
        break;
      case 'models.publish': {
        const version = str(o.version);
        const path = str(o.versionDir);
        if (version && path) {
          summary.published.push({ stage: stage.id, version, published: o.published === true, latest: str(o.latest) ?? null, path, runId: str(o.runId), reason: str(o.reason) });
        }
        break;
      }
    }
  }
  // A versioned run moved out of staging: its report and models are in its version folder.
  const versionedRuns = new Set(summary.published.map((p) => p.runId).filter((id): id is string => !!id));
  for (const p of summary.published) {
    summary.models.push(joinPath(p.path, 'models'));
    summary.reports.push(joinPath(p.path, 'report/report.html'));
  }
  for (const dir of trainedRuns) {
    if (versionedRuns.has(dir.replace(/\/+$/, '').split('/').pop()!)) continue;
    summary.models.push(joinPath(dir, 'models'));
    summary.reports.push(joinPath(dir, 'report/report.html'));
  }

  const failedGates = summary.gates.filter((g) => !g.passed);
  const switched = summary.published.filter((p) => p.published);
  const canPublish = plan.stages.some((s) => PUBLISHING_TYPES.has(s.uses));
  if (state.status === 'failed') {
    summary.outcome = 'failed';
    const failed = plan.stages.find((s) => state.stages[s.id]?.status === 'failed');
    summary.failedStage = failed?.id;
    summary.error = state.error ?? (failed ? state.stages[failed.id].error : undefined);
    summary.headline = summary.error ?? 'failed';
  } else if (state.status === 'cancelled') {
    summary.outcome = 'cancelled';
    summary.headline = 'cancelled';
  } else if (switched.length) {
    summary.outcome = 'published';
    summary.headline = `published ${switched.map((p) => p.version).join(', ')}${failedGates.length ? `; gate failed at ${failedGates.map((g) => g.stage).join(', ')}` : ''}`;
  } else if (failedGates.length) {
    summary.outcome = 'gate-failed';
    const latest = summary.published.find((p) => p.latest)?.latest;
    summary.headline = `gate failed at ${failedGates.map((g) => `${g.stage} (${g.reason})`).join('; ')}; nothing published${latest ? `, latest still ${latest}` : ''}`;
  } else if (canPublish) {
    summary.outcome = 'nothing-published';
    const why = summary.published.find((p) => p.reason)?.reason ?? notRun(plan, state);
    summary.headline = `nothing published${why ? `: ${why}` : ''}`;
  } else {
    summary.outcome = 'succeeded';
    summary.headline = `succeeded (${plan.stages.length} stage${plan.stages.length === 1 ? '' : 's'}; this pipeline publishes nothing)`;
  }
  if (state.status === 'succeeded' && summary.samples.length) {
    const last = summary.samples[summary.samples.length - 1];
    summary.headline += ` — ${last.in !== undefined ? `${last.in} samples in, ` : ''}${last.out} out (${last.stage})`;
  }
  return summary;
}

/** Why a publishing stage did not run: "stage 'publish' skipped — condition was false". */
function notRun(plan: Pick<Plan, 'stages'>, state: Pick<RunState, 'stages'>): string | undefined {
  const stage = plan.stages.find((s) => PUBLISHING_TYPES.has(s.uses) && state.stages[s.id]?.status !== 'succeeded');
  if (!stage) return undefined;
  const st = state.stages[stage.id];
  return `stage '${stage.id}' ${st?.status ?? 'pending'}${st?.reason ? ` — ${st.reason}` : ''}`;
}
