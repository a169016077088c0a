import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '5s' }).catch((err: Error) => {
    throw new Error(`cannot reach Temporal at ${config.temporalAddress} (${err.message}); start the stack with \`npm run demo\` or \`npm run stack up\``);
  });
  return new Client({ connection, namespace: config.namespace });
}
