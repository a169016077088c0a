// Histograms on N threads: the thread growing the tree plus N − 1 helper worker_threads sharing
// the binned rows, gradients and row buffer (SharedArrayBuffers). A batch of node histograms is
// cut into N shares of about equal row counts: a node too big for one share is split by rows, each
// thread summing its part into a histogram of its own (reduced afterwards); smaller nodes go whole
// to one thread, which writes straight into the node's histogram.
import path from 'node:path';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { startTsWorker } from '../../../lib/ts-worker';
import { buildHistogram } from '../histogram';
import type { HistogramBuilder, HistogramJob } from '../tree-builder';
import {
  CMD, CMD_BUILD, CMD_STOP, CONTROL_WORDS, DONE, HISTS_PER_CHUNK, ITEM_WORDS, N_ACTIVE, N_CHUNKS, READY, SEQ,
  sharedInt32, type HelperSetup,
} from './protocol';

/** Below this many rows in a batch, one thread does it: waking the others costs more. */
const MIN_PARALLEL_ROWS = 8192;

const helperPool: Worker[] = [];

function helpers(n: number): Worker[] {
  while (helperPool.length < n) helperPool.push(startTsWorker(path.join(__dirname, 'hist-thread.ts')));
  const out = helperPool.slice(0, n);
  for (const w of out) w.unref();
  return out;
}

/** Stops the idle helper threads. */
export async function closeHistogramThreads(): Promise<void> {
  await Promise.all(helperPool.splice(0).map((w) => w.terminate()));
}

interface Share {
  rows: number;
  items: { hist: number; start: number; end: number }[];
}

export class ParallelHistogramBuilder implements HistogramBuilder {
  private readonly nHelpers: number;
  private readonly histSize: number;
  private readonly arena: Float64Array[] = [];
  private readonly ids = new Map<Float64Array, number>();
  private readonly free: Float64Array[] = [];
  private readonly control = sharedInt32(CONTROL_WORDS);
  private readonly items: Int32Array[] = [];
  private readonly ports: MessagePort[] = [];
  /** Per helper: its private histograms for parts of split nodes. */
  private readonly scratch: Float64Array[][] = [];
  private readonly features: Int32Array;
  private nHists = 0;
  private closed = false;

  constructor(
    threads: number,
    private readonly nFeatures: number,
    totalSlots: number,
    private readonly rowSlots: Uint16Array | Uint32Array,
    private readonly rows: Uint32Array,
    private readonly grad: Float64Array,
    private readonly hess: Float64Array,
  ) {
    for (const a of [rowSlots, rows, grad, hess]) if (!(a.buffer instanceof SharedArrayBuffer)) throw new Error('ParallelHistogramBuilder needs shared buffers');
    this.nHelpers = threads - 1;
    this.histSize = totalSlots * 2;
    this.features = sharedInt32(nFeatures);
    this.addChunk();
    const workers = helpers(this.nHelpers);
    workers.forEach((w, k) => {
      // Room for every item a helper can get: one per node of a batch (a tree level has ≤ 2^15 here).
      this.items.push(sharedInt32(1 + ITEM_WORDS * 4096));
      this.scratch.push([]);
      const { port1, port2 } = new MessageChannel();
      this.ports.push(port1);
      const setup: HelperSetup = {
        helper: k,
        nFeatures,
        histSize: this.histSize,
        rowSlots,
        rows,
        grad,
        hess,
        features: this.features,
        control: this.control,
        items: this.items[k],
        arena: this.arena.map((a) => a.buffer as SharedArrayBuffer),
      };
      w.postMessage({ setup, chunks: port2 }, [port2]);
    });
    const ctl = this.control;
    for (let r; (r = Atomics.load(ctl, READY)) < this.nHelpers; ) {
      if (Atomics.wait(ctl, READY, r, 60_000) === 'timed-out') throw new Error(`histogram threads did not start (${r} of ${this.nHelpers} ready after 60 s)`);
    }
  }

  private addChunk(): void {
    const chunk = new Float64Array(new SharedArrayBuffer(8 * this.histSize * HISTS_PER_CHUNK));
    this.arena.push(chunk);
    Atomics.store(this.control, N_CHUNKS, this.arena.length);
    for (const p of this.ports) p.postMessage(chunk.buffer);
  }

  private newHist(): Float64Array {
    const id = this.nHists++;
    if (id >= this.arena.length * HISTS_PER_CHUNK) this.addChunk();
    const off = (id % HISTS_PER_CHUNK) * this.histSize;
    const h = this.arena[Math.floor(id / HISTS_PER_CHUNK)].subarray(off, off + this.histSize);
    this.ids.set(h, id);
    return h;
  }

  acquire(): Float64Array {
    const h = this.free.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return this.newHist();
  }

  release(h: Float64Array): void {
    this.free.push(h);
  }

  private scratchOf(helper: number, k: number): Float64Array {
    const list = this.scratch[helper];
    while (list.length <= k) list.push(this.newHist());
    return list[k];
  }

  build(jobs: HistogramJob[], rows: Uint32Array, grad: Float64Array, hess: Float64Array, features: Int32Array): void {
    let total = 0;
    for (const j of jobs) total += j.end - j.start;
    const nThreads = this.nHelpers + 1;
    if (total < MIN_PARALLEL_ROWS || this.closed) {
      for (const j of jobs) buildHistogram(j.hist, this.nFeatures, this.rowSlots, rows, j.start, j.end, grad, hess, features);
      return;
    }
    if (rows !== this.rows || grad !== this.grad || hess !== this.hess) throw new Error('ParallelHistogramBuilder: buffers differ from the shared ones');
    // Share 0 is this thread's.
    const shares: Share[] = Array.from({ length: nThreads }, () => ({ rows: 0, items: [] }));
    const own: HistogramJob[] = [];
    const reduce: { target: Float64Array; parts: Float64Array[] }[] = [];
    const perShare = total / nThreads;
    const splitCount = new Int32Array(nThreads);
    const order = jobs.map((_, i) => i).sort((a, b) => jobs[b].end - jobs[b].start - (jobs[a].end - jobs[a].start));
    for (const i of order) {
      const j = jobs[i];
      const size = j.end - j.start;
      if (size > perShare && size >= MIN_PARALLEL_ROWS / 2) {
        // Split by rows: this thread sums part 0 into the node's histogram, helper k part k into its scratch.
        const parts: Float64Array[] = [];
        for (let t = 0; t < nThreads; t++) {
          const from = j.start + Math.floor((size * t) / nThreads);
          const to = j.start + Math.floor((size * (t + 1)) / nThreads);
          shares[t].rows += to - from;
          if (t === 0) own.push({ hist: j.hist, start: from, end: to });
          else {
            const h = this.scratchOf(t - 1, splitCount[t]++);
            parts.push(h);
            shares[t].items.push({ hist: this.ids.get(h)!, start: from, end: to });
          }
        }
        reduce.push({ target: j.hist, parts });
      } else {
        let t = 0;
        for (let k = 1; k < nThreads; k++) if (shares[k].rows < shares[t].rows) t = k;
        shares[t].rows += size;
        if (t === 0) own.push(j);
        else shares[t].items.push({ hist: this.ids.get(j.hist)!, start: j.start, end: j.end });
      }
    }
    for (let t = 1; t < nThreads; t++) {
      const buf = this.items[t - 1];
      const its = shares[t].items;
      if (1 + its.length * ITEM_WORDS > buf.length) throw new Error('ParallelHistogramBuilder: too many nodes in one batch');
      buf[0] = its.length;
      its.forEach((it, k) => buf.set([it.hist, it.start, it.end], 1 + k * ITEM_WORDS));
    }
    this.features.set(features);
    const ctl = this.control;
    Atomics.store(ctl, N_ACTIVE, features.length);
    Atomics.store(ctl, CMD, CMD_BUILD);
    Atomics.store(ctl, DONE, 0);
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    for (const j of own) buildHistogram(j.hist, this.nFeatures, this.rowSlots, rows, j.start, j.end, grad, hess, features);
    for (let d; (d = Atomics.load(ctl, DONE)) < this.nHelpers; ) Atomics.wait(ctl, DONE, d);
    for (const { target, parts } of reduce) {
      for (const p of parts) for (let i = 0; i < target.length; i++) target[i] += p[i];
    }
  }

  /** Sends the helpers back to wait for the next fit. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const ctl = this.control;
    Atomics.store(ctl, CMD, CMD_STOP);
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    for (const p of this.ports) p.close();
  }
}
