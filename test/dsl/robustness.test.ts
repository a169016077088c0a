// The compiler reports problems, it never throws: mutate a good pipeline many ways (deterministic
// PRNG) and check every result is either a plan or located errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../dsl';
import { testCatalog } from './catalog';
import { mulberry32 } from '../../lib/mulberry32';

const source = readFileSync(join(__dirname, 'fixtures', 'nightly.yaml'), 'utf8');
const snippets = ['${{', '}}', ':', '- ', '{', ']', "'", '"', '\n  ', 'needs: [publish]', '&a ', '*a', '${{ stages.publish.outputs }}', '\t', '0'];

describe('robustness', () => {
  it('never throws on 200 mutated pipelines, and every error has a sane location', () => {
    const random = mulberry32(42);
    const lineCount = source.split('\n').length;
    for (let i = 0; i < 200; i++) {
      let text = source;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * text.length);
        const cut = Math.floor(random() * 12);
        const insert = random() < 0.6 ? snippets[Math.floor(random() * snippets.length)] : '';
        text = text.slice(0, at) + insert + text.slice(at + cut);
      }
      const result = compilePipeline(text, { file: 'm.yaml', catalog: testCatalog });
      expect(result.plan !== undefined || result.errors.length > 0).toBe(true);
      for (const e of result.errors) {
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.line).toBeLessThanOrEqual(lineCount + 5);
        expect(e.col).toBeGreaterThanOrEqual(1);
        expect(e.message).not.toMatch(/undefined|\[object Object\]/);
      }
    }
  });
});
