// Picks the tfjs backend: wasm (the .wasm binaries shipped inside the npm package, read from disk,
// no network), else cpu with a loud warning because training is then ~2× slower.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf } from './tf';

export type TfBackend = 'wasm' | 'cpu';

let wasmPathsSet = false;

/** Where the .wasm binaries are read from: $TRAINFLOW_TFJS_WASM_DIR, else the npm package's dist/. */
export function wasmDistDir(): string {
  return process.env.TRAINFLOW_TFJS_WASM_DIR ?? path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
}

/** Switches tfjs to `prefer` (default: $TRAINFLOW_TF_BACKEND or wasm) and returns the backend in use. */
export async function useBackend(prefer: TfBackend = (process.env.TRAINFLOW_TF_BACKEND as TfBackend) ?? 'wasm'): Promise<TfBackend> {
  if (prefer === 'wasm') {
    try {
      if (!wasmPathsSet) {
        const dir = wasmDistDir();
        if (!existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))) throw new Error(`no .wasm files in ${dir}`);
        // A file-system prefix: in Node the emscripten loader reads it with fs, never fetch.
        setWasmPaths(dir + path.sep, false);
        wasmPathsSet = true;
      }
      if (tf.getBackend() === 'wasm') return 'wasm';
      if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
      await tf.ready();
      return 'wasm';
    } catch (err) {
      console.warn(
        `!!! TFJS WASM BACKEND FAILED (${(err as Error).message}) — FALLING BACK TO THE SLOW PURE-JS 'cpu' BACKEND !!!`,
      );
    }
  }
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
