// A histogram helper thread: per fit it receives the shared buffers, then loops on Atomics commands
// (build my share of these histograms) until told to stop, and waits for the next fit.
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { buildHistogram } from '../histogram';
import { CMD, CMD_STOP, DONE, HISTS_PER_CHUNK, ITEM_WORDS, N_ACTIVE, N_CHUNKS, READY, SEQ, type HelperSetup } from './protocol';

function serve(s: HelperSetup, chunkPort: MessagePort): void {
  const ctl = s.control;
  const arena = s.arena.map((b) => new Float64Array(b));
  const histAt = (id: number) => {
    const chunk = arena[Math.floor(id / HISTS_PER_CHUNK)];
    const off = (id % HISTS_PER_CHUNK) * s.histSize;
    return chunk.subarray(off, off + s.histSize);
  };
  let seen = Atomics.load(ctl, SEQ);
  Atomics.add(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  for (;;) {
    Atomics.wait(ctl, SEQ, seen);
    seen = Atomics.load(ctl, SEQ);
    if (Atomics.load(ctl, CMD) === CMD_STOP) return;
    while (arena.length < Atomics.load(ctl, N_CHUNKS)) {
      const m = receiveMessageOnPort(chunkPort);
      if (!m) throw new Error('histogram thread: arena chunk announced but not received');
      arena.push(new Float64Array(m.message as SharedArrayBuffer));
    }
    const features = s.features.subarray(0, Atomics.load(ctl, N_ACTIVE));
    const items = s.items;
    const n = items[0];
    for (let k = 0; k < n; k++) {
      const base = 1 + k * ITEM_WORDS;
      const hist = histAt(items[base]);
      hist.fill(0);
      buildHistogram(hist, s.nFeatures, s.rowSlots, s.rows, items[base + 1], items[base + 2], s.grad, s.hess, features);
    }
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
  }
}

parentPort!.on('message', (m: { setup: HelperSetup; chunks: MessagePort }) => serve(m.setup, m.chunks));
