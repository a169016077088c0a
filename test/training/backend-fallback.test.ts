// Without its .wasm files the MLP still trains, on the cpu backend, and says so loudly.
import { describe, expect, it, vi } from 'vitest';
import { trainMlp, useBackend } from '../../models/mlp';

describe('tfjs backend fallback', () => {
  it('falls back to cpu with a loud warning when the wasm binaries are missing', async () => {
    process.env.TRAINFLOW_TFJS_WASM_DIR = '/nonexistent/tfjs-wasm';
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(await useBackend('wasm')).toBe('cpu');
      expect(warn.mock.calls.flat().join(' ')).toMatch(/WASM BACKEND FAILED .*FALLING BACK .*'cpu'/);
      const X = Float64Array.from({ length: 200 }, (_, i) => i / 200);
      const m = await trainMlp(X, X, 1, { epochs: 1, hidden: [4] });
      expect(m.meta.backend).toBe('cpu');
      m.dispose();
    } finally {
      warn.mockRestore();
      delete process.env.TRAINFLOW_TFJS_WASM_DIR;
    }
  });
});
