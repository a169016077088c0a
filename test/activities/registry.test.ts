// One list of activity types: the worker registers exactly what the DSL's catalog offers
// pipelines (plus the workflows' internal ones), so a pipeline never compiles against an activity
// the worker lacks, and no implementation hides outside the catalog (and the JSON Schema).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createActivities, INTERNAL_ACTIVITY_TYPES } from '../../activities';
import { activitySpecs } from '../../activities/catalog';
import { loadConfig } from '../../config';
import { paths } from '../../stack/tools';

describe('activity registry', () => {
  const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true });
  const registered = Object.keys(createActivities({ redis, config: loadConfig({}) })).sort();
  redis.disconnect();

  it('registers every catalog activity and nothing else but the internal ones', () => {
    const catalogNames = activitySpecs.map((s) => s.name);
    expect(new Set(catalogNames).size).toBe(catalogNames.length);
    expect(registered).toEqual([...catalogNames, ...INTERNAL_ACTIVITY_TYPES].sort());
  });

  it('each internal activity is one the workflows call by name', () => {
    const dir = path.join(paths.root, 'workflows');
    const source = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    for (const name of INTERNAL_ACTIVITY_TYPES) expect(source).toContain(`'${name}'`);
    expect(activitySpecs.map((s) => s.name)).not.toContain('core.loadPipeline');
  });
});
