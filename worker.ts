// One worker serves every pipeline: the interpreter workflow and all activity types.
// Configuration comes from the environment (see config.ts).
import { loadConfig } from './config';
import { createTrainflowWorker } from './runtime/worker-factory';

async function main(): Promise<void> {
  const config = loadConfig();
  // Tests pass a prebuilt workflow bundle to skip webpack (seconds) when they start workers.
  const bundle = process.env.TRAINFLOW_WORKFLOW_BUNDLE;
  const { worker, close } = await createTrainflowWorker(config, bundle ? { workflowBundle: { codePath: bundle } } : {});
  console.log(`worker: task queue '${config.taskQueue}' on ${config.temporalAddress}`);
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.run();
  await close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
