// `schedule:` — cron, time zone, overlap policy, catch-up window, param overrides.
import { isScalar } from 'yaml';
import { checkCron } from './cron';
import { checkParamValue } from './params';
import type { PlanParam, PlanSchedule } from './plan';
import { durationMs } from './policies';
import { withSuggestion, withSuggestionOrList } from './suggest';
import { sourceOffset } from './templates';
import { checkTimezone } from './timezone';
import { dict } from './expr/values';
import { asMap, asString, entries, toJson, type NodeContext, type YNode } from './yaml-nodes';
import type { Scalar } from 'yaml';

export const SCHEDULE_KEYS = ['cron', 'timezone', 'overlap', 'catchupWindow', 'params'];
export const OVERLAP_POLICIES: ReadonlyArray<PlanSchedule['overlap']> = ['skip', 'bufferOne', 'bufferAll', 'cancelOther', 'terminateOther', 'allowAll'];

export function compileSchedule(ctx: NodeContext, node: YNode, anchor: YNode, params: Record<string, PlanParam>, names: ReadonlySet<string>): PlanSchedule | undefined {
  const map = asMap(ctx, node, 'schedule');
  if (!map) return undefined;
  const fields = new Map(entries(ctx, map, { what: 'schedule', allowed: SCHEDULE_KEYS }).map((e) => [e.key, e]));
  const schedule: PlanSchedule = { cron: '', timezone: 'UTC', overlap: 'skip' };
  let valid = true;

  const cronEntry = fields.get('cron');
  if (!cronEntry) {
    ctx.diag.at(anchor, 'missing-key', "schedule is missing required key 'cron'");
    valid = false;
  } else {
    const cron = asString(ctx, cronEntry.value, 'schedule.cron');
    const error = cron === undefined ? undefined : checkCron(cron);
    if (error) {
      const scalar = cronEntry.value as Scalar;
      ctx.diag.atOffsets(sourceOffset(ctx, scalar, error.start), sourceOffset(ctx, scalar, error.end), 'cron', `invalid cron '${cron}': ${error.message}`);
    }
    if (cron === undefined || error) valid = false;
    else schedule.cron = cron.trim();
  }

  const zoneEntry = fields.get('timezone');
  if (zoneEntry) {
    const zone = asString(ctx, zoneEntry.value, 'schedule.timezone');
    const error = zone === undefined ? undefined : checkTimezone(zone);
    if (error) ctx.diag.at(zoneEntry.value, 'timezone', error);
    if (zone !== undefined && !error) schedule.timezone = zone;
  }

  const overlapEntry = fields.get('overlap');
  if (overlapEntry) {
    const overlap = asString(ctx, overlapEntry.value, 'schedule.overlap');
    if (overlap !== undefined && !(OVERLAP_POLICIES as string[]).includes(overlap)) {
      ctx.diag.at(overlapEntry.value, 'invalid-value', withSuggestion(`unknown overlap policy '${overlap}' (expected ${OVERLAP_POLICIES.join(', ')})`, overlap, OVERLAP_POLICIES));
    } else if (overlap !== undefined) schedule.overlap = overlap as PlanSchedule['overlap'];
  }

  const catchup = fields.get('catchupWindow');
  if (catchup) schedule.catchupWindowMs = durationMs(ctx, catchup.value, 'schedule.catchupWindow');

  const overrides = fields.get('params');
  const given = new Set<string>();
  if (overrides && !(isScalar(overrides.value) && overrides.value.value === null)) {
    const paramsMap = asMap(ctx, overrides.value, 'schedule.params');
    if (paramsMap) {
      const values = dict<unknown>();
      for (const { key, keyNode, value } of entries(ctx, paramsMap, { what: 'schedule.params' })) {
        given.add(key);
        const param = Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined;
        if (!names.has(key)) ctx.diag.at(keyNode, 'unknown-param', withSuggestionOrList(`unknown param '${key}' in schedule.params`, key, names, 'params'));
        else if (param && checkParamValue(ctx, value, param, `schedule.params.${key}`)) values[key] = toJson(ctx, value);
      }
      schedule.params = values;
    }
  }
  for (const [name, param] of Object.entries(params)) {
    if (param.required && !given.has(name)) {
      ctx.diag.at(anchor, 'missing-key', `scheduled runs need a value for param '${name}' (it has no default): set it in schedule.params`);
    }
  }
  return valid ? schedule : undefined;
}
