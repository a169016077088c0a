// Starts a worker_thread on a TypeScript file. Node cannot load .ts by itself, and a worker does
// not inherit the loader of a vitest/vite-node parent, so the worker first registers tsx's
// require hook (tsx/cjs, the same transform `tsx worker.ts` uses) and then requires the file.
// Works the same under `tsx` (worker.ts, benches) and under vitest.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTsWorker(file: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { ...options, eval: true });
}
