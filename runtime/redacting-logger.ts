// The worker's log sink: the SDK's and the activities' log lines, printed with every known secret
// masked (see lib/redact.ts). Installed before the worker connects, so core's lines pass too.
import { inspect } from 'node:util';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { redactSecrets } from '../lib/redact';

export function installRedactingLogger(secrets: string[], level: LogLevel = 'INFO'): void {
  const logger = new DefaultLogger(level, (entry) => {
    const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
    const meta = entry.meta && Object.keys(entry.meta).length ? ` ${inspect(entry.meta, { depth: 4, breakLength: Infinity })}` : '';
    const line = redactSecrets(`${time} [${entry.level}] ${entry.message}${meta}`, secrets);
    (entry.level === 'ERROR' || entry.level === 'WARN' ? console.error : console.log)(line);
  });
  Runtime.install({ logger });
}
