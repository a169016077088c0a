// One real Temporal dev server for the whole test run (the CLI installed by scripts/ensure-deps.sh,
// never the SDK's download), with Trainflow's search attributes registered. Test files connect to
// it through TEMPORAL_ADDRESS; each file starts its own worker on its own task queue.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { paths } from '../../stack/tools';
import type { TestProject } from 'vitest/node';
import { temporalCli } from '../../stack/tools';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

let env: TestWorkflowEnvironment | undefined;

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string) {
    console.warn(message);
  },
  error(message: string) {
    console.error(message);
  },
};

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
  // Bundle the workflows once for every test worker (webpack takes seconds per bundle).
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(paths.root, 'workflows', 'index.ts'), logger: quietLogger });
  const bundle = path.join(paths.var, 'test', `workflow-bundle-${process.pid}.js`);
  mkdirSync(path.dirname(bundle), { recursive: true });
  writeFileSync(bundle, code);
  project.provide('workflowBundlePath', bundle);
}

export async function teardown(): Promise<void> {
  await env?.teardown();
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}
