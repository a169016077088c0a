// A helper thread of the worker_threads build: per fit it receives the shared buffers, then loops
// on Atomics commands (run my share of these histograms and partitions) until told to stop, and
// waits for the next fit. Before a fit's commands it may get its share of the binning.
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { runBinJob, type BinJob } from './parallel-binning';
import { sharedWasmFns } from '../wasm-kernels';
import { CMD, CMD_STOP, DONE, HISTS_PER_CHUNK, N_ACTIVE, N_CHUNKS, READY, SEQ, runItems, type HelperSetup } from './protocol';

function serve(s: HelperSetup, chunkPort: MessagePort): void {
  const d = s.data;
  const ctl = d.control;
  const arena = [...s.arena];
  const histAt = (id: number) => {
    const off = (id % HISTS_PER_CHUNK) * d.histSize;
    return arena[Math.floor(id / HISTS_PER_CHUNK)].subarray(off, off + d.histSize);
  };
  const scratch = new Float64Array(2);
  const wasm = d.wasm ? sharedWasmFns(d.wasm) : null;
  let seen = Atomics.load(ctl, SEQ);
  Atomics.add(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  for (;;) {
    Atomics.wait(ctl, SEQ, seen);
    seen = Atomics.load(ctl, SEQ);
    if (Atomics.load(ctl, CMD) === CMD_STOP) return;
    while (arena.length < Atomics.load(ctl, N_CHUNKS)) {
      const m = receiveMessageOnPort(chunkPort);
      if (!m) throw new Error('gbdt helper thread: arena chunk announced but not received');
      arena.push(m.message as Float64Array);
    }
    runItems(d, s.items, Atomics.load(ctl, N_ACTIVE), histAt, scratch, wasm);
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
  }
}

parentPort!.on('message', (m: { setup: HelperSetup; chunks: MessagePort } | { bin: BinJob }) => {
  if ('bin' in m) runBinJob(m.bin);
  else serve(m.setup, m.chunks);
});
