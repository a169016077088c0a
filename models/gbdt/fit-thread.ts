// Worker-thread side of trainGbdtInWorker (fit-in-worker.ts): one fit per message, rounds and the
// finished model posted back. Runs the synchronous trainer: this thread has nothing else to serve.
import { parentPort } from 'node:worker_threads';
import { trainGbdt } from './booster';
import type { FitRequest, FitReply } from './fit-in-worker';

const port = parentPort!;
port.on('message', (req: FitRequest) => {
  const reply = (m: FitReply) => port.postMessage(m);
  try {
    const model = trainGbdt(req.X, req.y, req.nFeatures, req.params, req.valid, {
      threads: req.threads,
      onRound: req.reportRounds ? (log) => reply({ kind: 'round', log }) : undefined,
    });
    reply({ kind: 'done', model: model.toJSON() });
  } catch (err) {
    reply({ kind: 'error', message: (err as Error).message, stack: (err as Error).stack });
  }
});
