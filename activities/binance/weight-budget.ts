// Paces requests under Binance's REQUEST_WEIGHT limit. Windows are fixed and aligned to the
// epoch (as Binance's minute windows are). Requests are spread over the window: by a fraction f
// of it, at most (f + lead) of the budget is used, so throughput is steady instead of a burst
// then a wait. Weight is reserved before a request is sent and the
// server's X-MBX-USED-WEIGHT count, which includes other clients on the same IP, corrects the
// local estimate. One budget is shared by every client of a base URL in this process, so parallel
// backfills in one worker pace together.
import { NonRetryableError } from '../errors';

export interface BudgetLimits {
  limit: number;
  windowMs: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export { sleep };

export class WeightBudget {
  limits?: BudgetLimits;
  /** Fraction of the limit this process allows itself. */
  safety: number;
  /** Share of the window's budget usable ahead of the even spread (1 = no spreading). */
  lead: number;
  /** serverTime - local time, so windows line up with the exchange's. */
  clockOffsetMs = 0;
  private windowStart = 0;
  private used = 0;
  private inflight = 0;
  private blockedUntil = 0;
  private bannedUntil = 0;
  private banMessage = '';
  /** A read of exchangeInfo under way, which other clients of this budget wait for. */
  learning?: Promise<void>;
  /** Times a request waited for the window to free. */
  waits = 0;

  constructor(opts: { limits?: BudgetLimits; safety?: number; lead?: number } = {}) {
    this.limits = opts.limits;
    this.safety = opts.safety ?? 0.97;
    this.lead = opts.lead ?? 0.1;
  }

  private now() {
    return Date.now() + this.clockOffsetMs;
  }

  private roll(now: number) {
    const { windowMs } = this.limits!;
    if (now >= this.windowStart + windowMs) {
      this.windowStart = Math.floor(now / windowMs) * windowMs;
      // Requests still in flight may be counted in the new window.
      this.used = this.inflight;
    }
  }

  /** Waits until `weight` fits in the current window, then reserves it. */
  async acquire(weight: number, signal?: AbortSignal): Promise<number> {
    if (!this.limits) throw new Error('WeightBudget: limits unknown (read exchangeInfo first)');
    for (;;) {
      const now = this.now();
      if (now < this.bannedUntil) throw new NonRetryableError(this.banMessage, 'BinanceBanned');
      if (now < this.blockedUntil) {
        await sleep(this.blockedUntil - now, signal);
        continue;
      }
      this.roll(now);
      const { limit, windowMs } = this.limits;
      const budget = Math.max(limit * this.safety, Math.min(limit, weight));
      const elapsed = (now - this.windowStart) / windowMs;
      if (this.used + weight <= budget * Math.min(1, elapsed + this.lead)) {
        this.used += weight;
        this.inflight += weight;
        return now;
      }
      this.waits++;
      const need = (this.used + weight) / budget - this.lead;
      const at = need >= 1 ? this.windowStart + windowMs : this.windowStart + need * windowMs;
      await sleep(Math.max(1, Math.ceil(at - now)), signal);
    }
  }

  /** Ends a reservation; `usedHeader` is the server's count when it answered. */
  release(weight: number, sentAt: number, usedHeader?: number): void {
    this.inflight -= weight;
    if (usedHeader === undefined || !this.limits) return;
    this.roll(this.now());
    if (sentAt >= this.windowStart) this.used = Math.max(this.used, usedHeader + this.inflight);
  }

  /** After a 429: nobody sends before `untilMs` (local time). */
  block(untilMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, untilMs + this.clockOffsetMs);
  }

  /** After a 418: every later request fails at once, without being sent. */
  ban(untilMs: number, message: string): void {
    this.bannedUntil = Math.max(this.bannedUntil, untilMs + this.clockOffsetMs);
    this.banMessage = message;
  }
}

const shared = new Map<string, WeightBudget>();

export function sharedBudget(baseUrl: string): WeightBudget {
  let b = shared.get(baseUrl);
  if (!b) shared.set(baseUrl, (b = new WeightBudget()));
  return b;
}
