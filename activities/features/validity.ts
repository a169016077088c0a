// Counts every sample that goes in, every one that comes out, and why each other one was
// dropped. Nothing is dropped without a reason here.
import type { DroppedExample, ValidityReport } from './dataset';

export const DROP = {
  noKlines: 'no klines at that time',
  gap: 'gap inside the warm-up',
  labelMissing: 'label missing',
  nonFinite: (feature: string) => `non-finite value in ${feature}`,
} as const;

export class ValidityCollector {
  private inCount = 0;
  private outCount = 0;
  private readonly dropped: Record<string, number> = {};
  private readonly examples: DroppedExample[] = [];

  constructor(private readonly examplesLimit = 20) {}

  kept(): void {
    this.inCount++;
    this.outCount++;
  }

  drop(symbol: string, time: number, reason: string): void {
    this.inCount++;
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
    if (this.examples.length < this.examplesLimit) this.examples.push({ symbol, time, reason });
  }

  report(): ValidityReport {
    const covered = this.inCount - (this.dropped[DROP.noKlines] ?? 0);
    return {
      in: this.inCount,
      out: this.outCount,
      dropped: { ...this.dropped },
      examples: this.examples.map((e) => ({ ...e, timeIso: new Date(e.time).toISOString() })),
      validShareWhereCovered: covered > 0 ? this.outCount / covered : null,
    };
  }
}
