// Fault injection for the klines endpoint (by default): random with a seeded PRNG, or
// deterministic ("the next N requests", "request numbers 5 and 9"). Request numbers count the
// requests on the fault paths since the fault plan was last set, from 1.
import { mulberry32 } from '../../lib/mulberry32';

export type FaultKind = '500' | '502' | '503' | '504' | 'timeout' | 'truncate' | 'drop' | 'empty';

export interface FaultPlan {
  /** Probability per request of each kind (checked in this object's order). */
  rates?: Partial<Record<FaultKind, number>>;
  seed?: number;
  /** The next requests fail with these kinds, in order. */
  next?: FaultKind[];
  /** Request number → kind. */
  at?: Record<number, FaultKind>;
  /** Paths faults apply to; default ['/api/v3/klines']. */
  paths?: string[];
}

export class FaultInjector {
  private plan: FaultPlan = {};
  private queue: FaultKind[] = [];
  private random = mulberry32(1);
  private count = 0;

  set(plan: FaultPlan | undefined): void {
    this.plan = plan ?? {};
    this.queue = [...(this.plan.next ?? [])];
    this.random = mulberry32(this.plan.seed ?? 1);
    this.count = 0;
  }

  /** The fault for this request, if any (advances the request counter for fault paths). */
  pick(path: string): FaultKind | undefined {
    if (!(this.plan.paths ?? ['/api/v3/klines']).includes(path)) return undefined;
    this.count++;
    const scheduled = this.plan.at?.[this.count];
    if (scheduled) return scheduled;
    const queued = this.queue.shift();
    if (queued) return queued;
    for (const [kind, p] of Object.entries(this.plan.rates ?? {}) as [FaultKind, number][]) {
      if (this.random() < p) return kind;
    }
    return undefined;
  }
}
