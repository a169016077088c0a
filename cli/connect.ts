import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { describeTemporal, temporalConnectionOptions } from '../runtime/temporal-config';
import { redactSecrets } from '../lib/redact';

export async function connectClient(config: Config): Promise<Client> {
  const options = temporalConnectionOptions(config);
  const connection = await Connection.connect({ ...options, connectTimeout: '5s' }).catch((err: Error & { cause?: Error }) => {
    const reason = err.cause?.message ? `${err.message}: ${err.cause.message}` : err.message;
    const hint = config.temporal ? 'check the TEMPORAL_* settings' : 'start the stack with `npm run demo` or `npm run stack up`';
    throw new Error(`cannot reach Temporal at ${describeTemporal(config)} (${redactSecrets(reason, config)}); ${hint}`);
  });
  return new Client({ connection, namespace: config.namespace });
}
