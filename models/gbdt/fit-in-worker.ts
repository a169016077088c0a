// trainGbdtInWorker: the same fit as trainGbdt, run in a worker_thread so the caller's event loop
// stays free (a Temporal activity keeps heartbeating, the worker keeps polling). Idle fit threads
// are kept for the next fit (starting one costs the tsx transform); they never keep the process
// alive.
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../lib/ts-worker';
import type { RoundLog, ValidationSet } from './booster';
import { GbdtModel, type GbdtModelJSON } from './model';
import type { GbdtParams } from './params';

export interface FitRequest {
  X: Float64Array;
  y: Float64Array;
  nFeatures: number;
  params: GbdtParams;
  valid?: ValidationSet;
  threads: number;
  reportRounds: boolean;
}

export type FitReply =
  | { kind: 'round'; log: RoundLog }
  | { kind: 'done'; model: GbdtModelJSON }
  | { kind: 'error'; message: string; stack?: string };

export interface WorkerTrainOptions {
  onRound?: (log: RoundLog) => void;
  /** Aborting terminates the fit thread at once (mid-tree) and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Threads building histograms inside the fit (1 = the fit thread alone). */
  threads?: number;
}

const MAX_IDLE = 2;
const idle: Worker[] = [];

function takeWorker(): Worker {
  const w = idle.pop() ?? startTsWorker(path.join(__dirname, 'fit-thread.ts'));
  w.ref();
  return w;
}

function giveBack(w: Worker): void {
  w.removeAllListeners('message');
  w.removeAllListeners('error');
  w.removeAllListeners('exit');
  if (idle.length < MAX_IDLE) {
    w.unref();
    idle.push(w);
  } else void w.terminate();
}

/** Stops the idle fit threads (tests and benchmarks that want a clean exit). */
export async function closeFitThreads(): Promise<void> {
  await Promise.all(idle.splice(0).map((w) => w.terminate()));
}

export function trainGbdtInWorker(
  X: Float64Array,
  y: Float64Array,
  nFeatures: number,
  params: GbdtParams = {},
  valid?: ValidationSet,
  opts: WorkerTrainOptions = {},
): Promise<GbdtModel> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('gbdt training aborted'));
  const worker = takeWorker();
  return new Promise<GbdtModel>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void, reuse: boolean) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (reuse) giveBack(worker);
      else void worker.terminate();
      fn();
    };
    const onAbort = () => finish(() => reject(signal!.reason ?? new Error('gbdt training aborted')), false);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FitReply) => {
      if (m.kind === 'round') opts.onRound?.(m.log);
      else if (m.kind === 'done') finish(() => resolve(GbdtModel.fromJSON(m.model)), true);
      else {
        const err = new Error(m.message);
        if (m.stack) err.stack = m.stack;
        finish(() => reject(err), true);
      }
    });
    worker.once('error', (err) => finish(() => reject(err), false));
    worker.once('exit', (code) => finish(() => reject(new Error(`gbdt fit thread exited (code ${code})`)), false));
    const req: FitRequest = { X, y, nFeatures, params, valid, threads: opts.threads ?? params.nthread ?? 1, reportRounds: !!opts.onRound };
    worker.postMessage(req);
  });
}
