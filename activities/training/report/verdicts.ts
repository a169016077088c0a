// Plain-language verdicts: a model that does not beat a naive forecast must be reported as such.
import type { ModelCvResult } from '../../../models/evaluation/summary';

export function isBaseline(name: string): boolean {
  return name.startsWith('baseline:');
}

export function modelVerdicts(models: Record<string, ModelCvResult>): Record<string, string> {
  const baselines = Object.entries(models).filter(([n]) => isBaseline(n));
  const bestMae = baselines.reduce((b, [n, r]) => (r.stats.mae.mean < b.v ? { n, v: r.stats.mae.mean } : b), { n: '', v: Infinity });
  const bestR2 = baselines.reduce((b, [n, r]) => (r.stats.r2.mean > b.v ? { n, v: r.stats.r2.mean } : b), { n: '', v: -Infinity });
  const out: Record<string, string> = {};
  for (const [name, r] of Object.entries(models)) {
    if (isBaseline(name)) continue;
    const mae = r.stats.mae.mean;
    const r2 = r.stats.r2.mean;
    const maeGain = bestMae.v > 0 ? (bestMae.v - mae) / bestMae.v : 0;
    const beatsMae = mae < bestMae.v;
    const beatsR2 = r2 > bestR2.v;
    const detail =
      `MAE ${mae.toExponential(4)} vs ${bestMae.v.toExponential(4)} (${bestMae.n}, ${maeGain >= 0 ? '+' : ''}${(maeGain * 100).toFixed(2)}%), ` +
      `R² ${r2.toFixed(5)} vs ${bestR2.v.toFixed(5)} (${bestR2.n}), dir-acc ${(r.stats.dirAcc.mean * 100).toFixed(1)}%`;
    out[name] =
      beatsMae && beatsR2
        ? `${name} beats the naive baselines: ${detail}`
        : beatsMae || beatsR2
          ? `${name} beats the baselines only on ${beatsMae ? 'MAE' : 'R²'}, not on ${beatsMae ? 'R²' : 'MAE'}: ${detail}`
          : `${name} does NOT beat the naive baselines: ${detail}`;
  }
  return out;
}
