// The activity log: one JSON line per event of an activity attempt (start, each ctx.log call,
// completion, failure), tagged with the run and the activity, in `<logDir>/activities.jsonl` on
// the worker's machine. `client logs <workflow-id> [stage]` reads it and names each line's stage
// from the run's history (the activity's summary), since an activity does not know its stage.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

export const ACTIVITY_LOG_FILE = 'activities.jsonl';

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

/** Appends to `<logDir>/activities.jsonl`; a write error is reported once, never thrown into an activity. */
export function openActivityLog(logDir: string): ActivityLog {
  mkdirSync(logDir, { recursive: true });
  let stream: WriteStream | undefined = createWriteStream(activityLogPath(logDir), { flags: 'a' });
  stream.on('error', (err) => {
    console.error(`activity log ${activityLogPath(logDir)}: ${err.message} (activity logging stopped)`);
    stream = undefined;
  });
  return {
    write(entry) {
      stream?.write(JSON.stringify(entry) + '\n');
    },
    close() {
      const s = stream;
      stream = undefined;
      return new Promise((resolve) => (s ? s.end(resolve) : resolve()));
    },
  };
}
