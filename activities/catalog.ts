// The activity types a pipeline may `use`, with the JSON Schema of their inputs: what the DSL
// validates against and what the published JSON Schema offers editors. Pure data.
import type { ActivitySpec } from './spec';
import { coreSpecs } from './core/specs';

export const activitySpecs: ActivitySpec[] = [...coreSpecs];

export const catalog: Record<string, ActivitySpec> = Object.fromEntries(activitySpecs.map((s) => [s.name, s]));
