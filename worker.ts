// One worker serves every pipeline: the interpreter workflow and all activity types.
// Configuration comes from the environment (see config.ts).
import { loadConfig } from './config';
import { createTrainflowWorker } from './runtime/worker-factory';

async function main(): Promise<void> {
  const config = loadConfig();
  const { worker, close } = await createTrainflowWorker(config);
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
