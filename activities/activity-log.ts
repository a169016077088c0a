// The activity log: one JSON line per event of an activity attempt (start, each ctx.log call,
// completion, failure), tagged with the run and the activity, in `<logDir>/activities.jsonl` on
// the worker's machine. `client logs <workflow-id> [stage]` reads it and names each line's stage
// from the run's history, since an activity does not know its stage.
//
// Rotated by size: before a line would take the file past `maxBytes`, activities.jsonl becomes
// activities.jsonl.1 (.1 becomes .2, …; the oldest beyond `keep` is dropped) and a new file
// starts. One worker per log folder: two workers rotating the same files would lose lines.
import { createWriteStream, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';

export const ACTIVITY_LOG_FILE = 'activities.jsonl';
export const DEFAULT_ACTIVITY_LOG_ROTATION: ActivityLogRotation = { maxBytes: 64 * 1024 * 1024, keep: 5 };

export interface ActivityLogRotation {
  /** Size at which the file is rotated. */
  maxBytes: number;
  /** Rotated files kept (activities.jsonl.1 … .keep) besides the current one. */
  keep: number;
}

export interface ActivityLogEntry {
  ts: string;
  level: 'info' | 'error';
  workflowId: string;
  runId: string;
  activityId: string;
  activityType: string;
  attempt: number;
  /** start | log | done | fail */
  event: string;
  msg: string;
  fields?: Record<string, unknown>;
  ms?: number;
}

export interface ActivityLog {
  write(entry: ActivityLogEntry): void;
  close(): Promise<void>;
}

export function activityLogPath(logDir: string): string {
  return path.join(logDir, ACTIVITY_LOG_FILE);
}

/** `file` and its rotations that exist, oldest first (…, file.2, file.1, file). */
export function activityLogFiles(file: string): string[] {
  const rotated: string[] = [];
  for (let i = 1; existsSync(`${file}.${i}`); i++) rotated.push(`${file}.${i}`);
  return [...rotated.reverse(), ...(existsSync(file) ? [file] : [])];
}

function shift(file: string, keep: number): void {
  if (keep < 1) {
    rmSync(file, { force: true });
    return;
  }
  rmSync(`${file}.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
  renameSync(file, `${file}.1`);
}

/** Appends to `<logDir>/activities.jsonl`, rotating it by size; a write error is reported once, never thrown into an activity. */
export function openActivityLog(logDir: string, rotation: ActivityLogRotation = DEFAULT_ACTIVITY_LOG_ROTATION): ActivityLog {
  mkdirSync(logDir, { recursive: true });
  const file = activityLogPath(logDir);
  let size = 0;
  let stream: WriteStream | undefined;
  let failed = false;
  const fail = (err: Error): void => {
    if (failed) return;
    failed = true;
    console.error(`activity log ${file}: ${err.message} (activity logging stopped)`);
    stream = undefined;
  };
  const open = (): void => {
    // Opened synchronously: a rotation renames the file under a stream that already holds it.
    const fd = openSync(file, 'a');
    size = statSync(file).size;
    const s = createWriteStream('', { fd });
    s.on('error', fail);
    stream = s;
  };
  try {
    open();
  } catch (err) {
    fail(err as Error);
  }
  return {
    write(entry) {
      if (!stream) return;
      const line = JSON.stringify(entry) + '\n';
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > rotation.maxBytes) {
        try {
          stream.end();
          shift(file, rotation.keep);
          open();
        } catch (err) {
          fail(err as Error);
          return;
        }
      }
      stream!.write(line);
      size += bytes;
    },
    close() {
      const s = stream;
      stream = undefined;
      return new Promise((resolve) => (s ? s.end(resolve) : resolve()));
    },
  };
}

/** `TRAINFLOW_ACTIVITY_LOG_MAX_BYTES` (bytes, or with k/M/G) and `TRAINFLOW_ACTIVITY_LOG_KEEP`. */
export function rotationFromEnv(env: NodeJS.ProcessEnv): ActivityLogRotation {
  const out = { ...DEFAULT_ACTIVITY_LOG_ROTATION };
  const max = env.TRAINFLOW_ACTIVITY_LOG_MAX_BYTES;
  if (max) {
    const m = /^\s*(\d+)\s*([kKmMgG]?)i?[bB]?\s*$/.exec(max);
    if (!m || Number(m[1]) <= 0) throw new Error(`TRAINFLOW_ACTIVITY_LOG_MAX_BYTES: expected a size such as 64M or 1000000, got '${max}'`);
    out.maxBytes = Number(m[1]) * 1024 ** ' KMG'.indexOf(m[2].toUpperCase() || ' ');
  }
  const keep = env.TRAINFLOW_ACTIVITY_LOG_KEEP;
  if (keep) {
    if (!/^\s*\d+\s*$/.test(keep)) throw new Error(`TRAINFLOW_ACTIVITY_LOG_KEEP: expected a whole number of files, got '${keep}'`);
    out.keep = Number(keep);
  }
  return out;
}
