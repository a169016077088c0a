// YAML text → Plan, or every error found, each located at the offending key or value.
import type { ActivitySpec } from './activity-spec';
import { TooManyErrors } from './diagnostics';
import type { DslError } from './errors';
import { nonAsciiNote } from './lookalike';
import type { PathRoots } from './paths';
import { checkForEachType, checkPathParams } from './stage-checks';
import { findCycles, topologicalOrder, Upstream } from './graph';
import { canonicalJson, sha256Hex } from './hash';
import { compileParams } from './params';
import type { Plan, PlanParam, PlanSchedule, PlanStage } from './plan';
import { compileRetry, compileTimeout, mergeRetry, mergeTimeout } from './policies';
import { checkHeartbeat, checkRetryIntervals, type Defaults } from './policy-checks';
import { checkReferences } from './references';
import { compileSchedule } from './schedule';
import { compileStage, type StageDraft } from './stages';
import { formatBytes, LIMITS, utf8Length, type Limits } from './limits';
import { parseSource } from './parse-source';
import { withSuggestionOrList } from './suggest';
import { asBoolean, asMap, asString, deref, entries, type Entry, type NodeContext } from './yaml-nodes';
import { RESERVED_KEYS, reservedMessage } from './document-guard';
import { dict } from './expr/values';

export const TOP_KEYS = ['name', 'description', 'params', 'defaults', 'schedule', 'stages'];
export const DEFAULTS_KEYS = ['retry', 'timeout', 'cache'];
const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface CompileOptions {
  file: string;
  catalog: Record<string, ActivitySpec>;
  /** Overrides of the documented limits (dsl/limits.ts), e.g. for a scale benchmark. */
  limits?: Partial<Limits>;
  /** The project and data folders, to check absolute paths in path inputs (paths.ts). */
  roots?: PathRoots;
}

export interface CompileResult {
  plan?: Plan;
  errors: DslError[];
}

export function compilePipeline(text: string, opts: CompileOptions): CompileResult {
  const limits: Limits = { ...LIMITS, ...opts.limits };
  const source = parseSource(text, opts.file, limits);
  if (!source.ok) return { errors: source.errors };
  const { doc, lines, diag } = source;
  const ctx: NodeContext = { doc, diag, text, lineOf: (offset) => lines.linePos(offset).line, roots: opts.roots };
  try {
    return compileDocument(ctx, opts, limits);
  } catch (e) {
    if (!(e instanceof TooManyErrors)) throw e;
    return { errors: diag.stopped() };
  }
}

function compileDocument(ctx: NodeContext, opts: CompileOptions, limits: Limits): CompileResult {
  const { diag, doc } = ctx;
  const root = deref(ctx, doc.contents);
  if (root === null || (root.range && root.range[0] === root.range[1])) {
    diag.atOffsets(0, 0, 'missing-key', "empty pipeline: expected a mapping with 'name' and 'stages'");
    return { errors: diag.sorted() };
  }
  const map = asMap(ctx, root, 'a pipeline');
  if (!map) return { errors: diag.sorted() };
  const fields = new Map(entries(ctx, map, { what: 'the pipeline', allowed: TOP_KEYS }).map((e) => [e.key, e]));
  const topOffset = map.range?.[0] ?? 0;

  const name = compileName(ctx, fields.get('name'), topOffset);
  const description = fields.has('description') ? asString(ctx, fields.get('description')!.value, 'description') : undefined;
  const { params, names: paramNames } = fields.has('params') ? compileParams(ctx, fields.get('params')!.value) : { params: dict<PlanParam>(), names: new Set<string>() };
  const defaults: Defaults = fields.has('defaults') ? compileDefaults(ctx, fields.get('defaults')!) : { retry: {}, timeout: {}, timeoutNodes: {} };
  const scheduleEntry = fields.get('schedule');
  const schedule = scheduleEntry ? compileSchedule(ctx, scheduleEntry.value, scheduleEntry.keyNode, params, paramNames) : undefined;
  const drafts = compileStages(ctx, fields.get('stages'), topOffset, opts.catalog);
  const order = checkGraph(ctx, drafts, paramNames);
  for (const draft of drafts.values()) {
    checkForEachType(ctx, draft, params);
    checkPathParams(ctx, draft, params, schedule);
    checkRetryIntervals(ctx, draft, defaults);
    checkHeartbeat(ctx, draft, defaults);
  }

  if (diag.errors.length > 0 || name === undefined || order === undefined) return { errors: diag.sorted() };
  const stages = order.map((id) => toPlanStage(drafts.get(id)!, defaults));
  const plan = finishPlan({ name, description, params, schedule, stages }, opts.file);
  if (plan.bytes > limits.maxPlanBytes) {
    const at = fields.get('stages')?.keyNode;
    diag.at(at, 'too-large', `the compiled plan is ${formatBytes(plan.bytes)}, over the ${formatBytes(limits.maxPlanBytes)} limit for a plan (it is the run's workflow input): split the pipeline`);
    return { errors: diag.sorted() };
  }
  return { plan: plan.plan, errors: [] };
}

function compileName(ctx: NodeContext, entry: Entry | undefined, topOffset: number): string | undefined {
  if (!entry) {
    ctx.diag.atOffsets(topOffset, topOffset, 'missing-key', "pipeline is missing required key 'name'");
    return undefined;
  }
  const name = asString(ctx, entry.value, 'name');
  if (name !== undefined && !PIPELINE_NAME.test(name)) {
    ctx.diag.at(entry.value, 'invalid-value', `pipeline name '${name}' may only contain letters, digits, '.', '_' and '-'${nonAsciiNote(name)}`);
    return undefined;
  }
  return name;
}

function compileDefaults(ctx: NodeContext, entry: Entry): Defaults {
  const map = asMap(ctx, entry.value, 'defaults');
  const out: Defaults = { retry: {}, timeout: {}, timeoutNodes: {} };
  if (!map) return out;
  for (const { key, value } of entries(ctx, map, { what: 'defaults', allowed: DEFAULTS_KEYS })) {
    if (key === 'retry') {
      out.retry = compileRetry(ctx, value, 'defaults');
      out.retryNode = value;
    } else if (key === 'cache') out.cache = asBoolean(ctx, value, 'defaults.cache');
    else out.timeout = compileTimeout(ctx, value, 'defaults', out.timeoutNodes);
  }
  return out;
}

function compileStages(ctx: NodeContext, entry: Entry | undefined, topOffset: number, catalog: Record<string, ActivitySpec>): Map<string, StageDraft> {
  const drafts = new Map<string, StageDraft>();
  if (!entry) {
    ctx.diag.atOffsets(topOffset, topOffset, 'missing-key', "pipeline is missing required key 'stages'");
    return drafts;
  }
  const map = asMap(ctx, entry.value, 'stages');
  if (!map) return drafts;
  if (map.items.length === 0) ctx.diag.at(entry.keyNode, 'invalid-value', 'stages is empty: a pipeline needs at least one stage');
  const stageEntries = entries(ctx, map, {
    what: 'stages',
    duplicate: (key, firstLine) => ({ code: 'duplicate-stage', message: `duplicate stage id '${key}' (first defined at line ${firstLine})` }),
  });
  for (const { key, keyNode, value } of stageEntries) {
    drafts.set(key, compileStage(ctx, key, keyNode, value, catalog));
  }
  return drafts;
}

/** Checks needs, cycles and expression references; returns the topological order if acyclic. */
function checkGraph(ctx: NodeContext, drafts: Map<string, StageDraft>, paramNames: ReadonlySet<string>): string[] | undefined {
  const ids = [...drafts.keys()];
  const needs = new Map<string, string[]>();
  for (const draft of drafts.values()) {
    const valid: string[] = [];
    for (const dep of draft.needs) {
      if (dep.id === draft.id) ctx.diag.at(dep.node, 'self-dependency', `stage '${draft.id}' cannot need itself`);
      else if (RESERVED_KEYS.has(dep.id)) ctx.diag.at(dep.node, 'reserved-name', reservedMessage(dep.id));
      else if (!drafts.has(dep.id)) {
        ctx.diag.at(dep.node, 'unknown-stage', withSuggestionOrList(`stage '${draft.id}' needs unknown stage '${dep.id}'`, dep.id, ids.filter((i) => i !== draft.id), 'stages'));
      } else valid.push(dep.id);
    }
    needs.set(draft.id, valid);
  }
  const cycles = findCycles(needs);
  for (const cycle of cycles) {
    // Reported at the needs entry that closes the cycle: the last stage's need of the first.
    const from = drafts.get(cycle[cycle.length - 2])!;
    const at = from.needs.find((n) => n.id === cycle[cycle.length - 1])?.node ?? from.keyNode;
    ctx.diag.at(at, 'cycle', `cycle: ${cycle.join(' -> ')}`);
  }
  if (cycles.length > 0) return undefined;
  const upstream = new Upstream(needs);
  const stageIds = new Set(ids);
  for (const draft of drafts.values()) {
    for (const group of draft.expressions) {
      const scope = {
        params: paramNames,
        stageIds,
        stage: draft.id,
        isUpstream: (id: string) => upstream.has(draft.id, id),
        upstream: () => upstream.all(draft.id),
        itemVisible: group.itemVisible,
        outputsOf: (id: string) => (drafts.get(id)?.forEach ? undefined : drafts.get(id)?.spec?.outputs),
      };
      for (const located of group.located) checkReferences(ctx, located, scope);
    }
  }
  return topologicalOrder(needs);
}

function toPlanStage(draft: StageDraft, defaults: Defaults): PlanStage {
  const stage: PlanStage = {
    id: draft.id,
    uses: draft.uses!,
    needs: draft.needs.map((n) => n.id),
    with: draft.with,
    retry: mergeRetry(defaults.retry, draft.retry),
    timeout: mergeTimeout(defaults.timeout, draft.timeout),
  };
  if (draft.forEach) stage.forEach = draft.forEach;
  if (draft.concurrency !== undefined) stage.concurrency = draft.concurrency;
  if (draft.when) stage.when = draft.when;
  if (draft.whenChecksStatus) stage.whenChecksStatus = true;
  // defaults.cache covers the stages whose activity can be cached (an explicit cache: true on another is an error).
  if ((draft.cache ?? defaults.cache) && !draft.spec?.notCacheable) stage.cache = true;
  if (draft.description !== undefined) stage.description = draft.description;
  return stage;
}

function finishPlan(
  body: { name: string; description?: string; params: Record<string, PlanParam>; schedule?: PlanSchedule; stages: PlanStage[] },
  file: string,
): { plan: Plan; bytes: number } {
  const unhashed = { version: 1 as const, ...body };
  if (unhashed.description === undefined) delete unhashed.description;
  if (unhashed.schedule === undefined) delete unhashed.schedule;
  const json = canonicalJson(unhashed);
  return { plan: { ...unhashed, hash: sha256Hex(json), source: { file } }, bytes: utf8Length(json) };
}

/** sha256 of the canonical JSON of a plan without `hash` and `source`. */
export function planHash(plan: Omit<Plan, 'hash' | 'source'> & { hash?: string; source?: unknown }): string {
  const { hash: _hash, source: _source, ...rest } = plan;
  return sha256Hex(canonicalJson(rest));
}

