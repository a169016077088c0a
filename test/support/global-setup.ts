// One real Temporal dev server for the whole test run (the CLI installed by scripts/ensure-deps.sh,
// never the SDK's download), with Trainflow's search attributes registered. Test files connect to
// it through TEMPORAL_ADDRESS; each file starts its own worker on its own task queue.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { temporalCli } from '../../stack/tools';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

let env: TestWorkflowEnvironment | undefined;

export async function setup(project: TestProject): Promise<void> {
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCli() },
      ip: '127.0.0.1',
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
  const address = env.connection.options.address;
  process.env.TEMPORAL_ADDRESS = address;
  project.provide('temporalAddress', address);
}

export async function teardown(): Promise<void> {
  await env?.teardown();
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}
