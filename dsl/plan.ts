// The compiled form of a pipeline: plain JSON, content-hashed, passed as workflow input so a
// run's definition is frozen in its history. Produced by dsl/compile.ts, interpreted by
// workflows/pipeline.ts. Nothing here may import I/O code: the workflow bundle imports it.
import type { Expr } from './expr/ast';

/** A `with:` value after compilation: literals stay as they are, `${{ }}` become expressions. */
export type Template =
  | { kind: 'literal'; value: unknown }
  | { kind: 'expr'; expr: Expr; source: string } // the whole string was one ${{ }}: keeps its type
  | { kind: 'interpolate'; parts: Array<string | { expr: Expr; source: string }> } // always a string
  | { kind: 'object'; entries: Record<string, Template> }
  | { kind: 'array'; items: Template[] };

export interface PlanRetry {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  nonRetryableErrorTypes: string[];
}

export interface PlanTimeout {
  startToCloseMs: number;
  scheduleToCloseMs?: number;
  heartbeatMs?: number;
}

export interface PlanStage {
  id: string;
  uses: string;
  needs: string[];
  with: Template;
  forEach?: Template;
  /** At most this many forEach items run at once (default: all). */
  concurrency?: number;
  when?: Template;
  /** `when` calls a status function (always(), failure(), ...): the stage is considered whatever its needs came to, also after a failure. */
  whenChecksStatus?: true;
  /** Reuse the outputs of an earlier successful execution of the same activity, code and input. */
  cache?: true;
  retry: PlanRetry;
  timeout: PlanTimeout;
  description?: string;
}

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'duration' | 'array' | 'object';

export interface PlanParam {
  type: ParamType;
  default?: unknown;
  required: boolean;
  description?: string;
  items?: ParamType;
}

export interface PlanSchedule {
  cron: string;
  timezone: string;
  overlap: 'skip' | 'bufferOne' | 'bufferAll' | 'cancelOther' | 'terminateOther' | 'allowAll';
  catchupWindowMs?: number;
  params?: Record<string, unknown>;
}

export interface Plan {
  version: 1;
  name: string;
  description?: string;
  /** sha256 (hex) of the canonical JSON of everything but `hash` and `source`. */
  hash: string;
  source?: { file: string };
  params: Record<string, PlanParam>;
  schedule?: PlanSchedule;
  /** Topologically ordered (every stage after all of its `needs`). */
  stages: PlanStage[];
}

/** What an expression can see while a run is interpreted. */
export interface ExprScope {
  params: Record<string, unknown>;
  run: { id: string; workflowId: string; pipeline: string; logicalDate: string; startedAt: string };
  stages: Record<string, { outputs: unknown; status: string }>;
  item?: unknown;
  index?: number;
  /** Set only while a stage's `when` is evaluated: what the status functions read. */
  status?: { failed: boolean; cancelled: boolean; needsSucceeded: boolean };
}
