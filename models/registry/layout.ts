// Where a model's runs live:
//   <dataDir>/models/<name>/staging/<runId>/   a trained run, not yet given a version
//   <dataDir>/models/<name>/v0001/ …           one folder per published run (any gate outcome)
//   <dataDir>/models/<name>/latest → v000N      only ever a version that passed its gate
import path from 'node:path';

export const VERSION_RE = /^v(\d{4,})$/;

export function modelRoot(dataDir: string, name: string): string {
  return path.join(dataDir, 'models', name);
}

export function stagingDir(dataDir: string, name: string, runId: string): string {
  return path.join(modelRoot(dataDir, name), 'staging', runId);
}

export function versionName(n: number): string {
  return `v${String(n).padStart(4, '0')}`;
}

export function versionNumber(name: string): number | undefined {
  const m = VERSION_RE.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function newRunId(now = new Date()): string {
  const ts = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${ts}-${Math.random().toString(16).slice(2, 8)}`;
}
