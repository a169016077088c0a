// Paces requests under Binance's REQUEST_WEIGHT limit. Windows are fixed and aligned to the
// epoch on the exchange's clock (as Binance's minute windows are). The server's
// X-MBX-USED-WEIGHT-* header is the truth: it counts every client on this IP, including other
// programs Trainflow knows nothing else about. From it the budget learns how much weight others
// spend (header minus our own requests up to that one) and at what rate, projects their spending
// to the end of the window and keeps that much free for them; its own share is spread over the
// window (by a fraction f of it, at most f + lead of the share), so throughput is steady instead
// of a burst then a wait. Our estimate of the exchange's clock is off by up to half the round
// trip of its sync: windows are placed that much late (never early, which would forget a full
// window while the exchange still counts it), and a re-sync that moves the clock back a little
// does not start a fresh window. Near the limit it sends one request at a time, so a 429 can never be
// followed by requests already on their way (each would be a call inside Retry-After, and
// Binance bans an IP for those). One budget is shared by every client of a base URL in this
// process, so parallel backfills in one worker pace together; workers in other processes are
// "other clients", seen through the header like any other.
import { NonRetryableError } from '../errors';

export interface BudgetLimits {
  limit: number;
  windowMs: number;
}

/** What acquire() hands out and release() takes back. */
export interface WeightTicket {
  weight: number;
  /** Exchange-clock time it was sent. */
  sentAt: number;
  windowStart: number;
  /** Our weight sent in this window up to and including this request. */
  ownUpTo: number;
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
  /** Fraction of the limit this IP may reach (others included). */
  safety: number;
  /** Share of our allowance usable ahead of the even spread (1 = no spreading). */
  lead: number;
  /** Within this fraction of the limit, one request at a time. */
  edge: number;
  /** serverTime - local time, so windows line up with the exchange's (set by each clock sync). */
  clockOffsetMs = 0;
  /** How far clockOffsetMs may be off (half the sync's round trip): windows are placed that late. */
  clockUncertaintyMs = 0;
  private windowStart = 0;
  /** Our weight sent in the current window. */
  private own = 0;
  private inflight = 0;
  private inflightRequests = 0;
  /** Latest header of this window, and our weight sent up to the request it answered. */
  private header = 0;
  private ownAtHeader = 0;
  /** Others' weight in this window (header - ours), and their rate in the last window (weight/ms). */
  private foreign = 0;
  private lastForeign = 0;
  /** Our first header in this window: when (exchange clock) and others' weight then. */
  private firstHeaderAt = 0;
  private foreignAtFirstHeader = 0;
  private blockedUntil = 0;
  private bannedUntil = 0;
  private banMessage = '';
  private wakeups: Array<() => void> = [];
  /** A read of exchangeInfo under way, which other clients of this budget wait for, and the signal of the client reading it. */
  learning?: { done: Promise<void>; signal?: AbortSignal };
  /** Times a request waited for the window to free. */
  waits = 0;

  constructor(opts: { limits?: BudgetLimits; safety?: number; lead?: number; edge?: number } = {}) {
    this.limits = opts.limits;
    this.safety = opts.safety ?? 0.97;
    this.lead = opts.lead ?? 0.1;
    this.edge = opts.edge ?? 0.1;
  }

  /** A clock sync: the exchange's time minus ours, and how far that may be off. */
  setClock(offsetMs: number, uncertaintyMs = 0): void {
    this.clockOffsetMs = offsetMs;
    this.clockUncertaintyMs = Math.max(0, uncertaintyMs);
  }

  /** The exchange's time at its earliest: a window boundary is passed only once it surely is. */
  private now() {
    return Date.now() + this.clockOffsetMs - this.clockUncertaintyMs;
  }

  private roll(now: number) {
    const { windowMs } = this.limits!;
    if (now < this.windowStart) {
      // A re-sync moved the estimate back. Within its uncertainty (and a second's slack), the window
      // was entered rightly: stay in it. Further back, the clock was wrong (no sync yet, or the
      // exchange's clock jumped): move the window there, keeping its counts (erring on the safe side).
      if (now < this.windowStart - Math.max(1000, 2 * this.clockUncertaintyMs)) this.windowStart = Math.floor(now / windowMs) * windowMs;
      return;
    }
    if (now >= this.windowStart + windowMs) {
      const start = Math.floor(now / windowMs) * windowMs;
      // Others' spending in the window that ended (0 if we saw nothing of it).
      this.lastForeign = start === this.windowStart + windowMs ? this.foreign : 0;
      this.windowStart = start;
      // Requests still in flight may be counted in the new window.
      this.own = this.inflight;
      this.header = 0;
      this.ownAtHeader = 0;
      this.foreign = 0;
      this.firstHeaderAt = 0;
      this.foreignAtFirstHeader = 0;
    }
  }

  /** Others' weight by the end of this window: what they spent so far plus their rate for the rest. */
  private projectedForeign(now: number): number {
    const { windowMs } = this.limits!;
    // Their rate so far (early in a window, a rate from a few requests is noise: damped), or
    // what they spent in the last window, whichever is more.
    const sinceStart = this.foreign / Math.max(now - this.windowStart, 0.25 * windowMs);
    // A client that started during this window spends faster than its average since the window
    // began: also measure their rate since our first header in it (once that is long enough to
    // mean something), and take the higher.
    const watched = now - this.firstHeaderAt;
    const sinceWatched = this.firstHeaderAt && watched >= 0.1 * windowMs ? (this.foreign - this.foreignAtFirstHeader) / watched : 0;
    const rate = Math.max(sinceStart, sinceWatched);
    return Math.max(this.lastForeign, this.foreign + rate * (this.windowStart + windowMs - now));
  }

  /** The IP's weight in this window as far as we know: the header plus ours sent since. */
  private total(): number {
    return Math.max(this.header + (this.own - this.ownAtHeader), this.own + this.foreign);
  }

  /** Waits until `weight` fits in the current window, then reserves it. */
  async acquire(weight: number, signal?: AbortSignal): Promise<WeightTicket> {
    if (!this.limits) throw new Error('WeightBudget: limits unknown (read exchangeInfo first)');
    for (;;) {
      const now = await this.unblocked(signal);
      this.roll(now);
      const { limit, windowMs } = this.limits;
      const budget = Math.max(limit * this.safety, Math.min(limit, weight));
      const elapsed = (now - this.windowStart) / windowMs;
      const share = Math.max(0, budget - this.projectedForeign(now));
      const total = this.total();
      const spread = this.own + weight <= share * Math.min(1, elapsed + this.lead);
      const fits = total + weight <= budget;
      const nearEdge = total + weight > budget - limit * this.edge;
      if (spread && fits && !(nearEdge && this.inflightRequests > 0)) {
        this.own += weight;
        this.inflight += weight;
        this.inflightRequests++;
        return { weight, sentAt: now, windowStart: this.windowStart, ownUpTo: this.own };
      }
      this.waits++;
      // Wake when the spread allows it, when a response may change the picture, or at the window's end.
      const needShare = share > 0 ? (this.own + weight) / share - this.lead : Infinity;
      const at = !fits || needShare >= 1 ? this.windowStart + windowMs : this.windowStart + Math.max(elapsed, needShare) * windowMs;
      await this.sleepOrWake(Math.max(1, Math.min(Math.ceil(at - now), Math.ceil(windowMs / 20))), signal);
    }
  }

  /** Ends a reservation; `usedHeader` is the server's count when it answered. */
  release(ticket: WeightTicket, usedHeader?: number): void {
    this.inflight -= ticket.weight;
    this.inflightRequests--;
    if (usedHeader !== undefined && this.limits) this.observe(usedHeader, ticket);
    this.wake();
  }

  /** A header seen on a response that was not paced (exchangeInfo before the limits were known). */
  observe(usedHeader: number, ticket?: WeightTicket): void {
    if (!this.limits) return;
    this.roll(this.now());
    if (ticket && ticket.windowStart !== this.windowStart) return; // counted in a window that has ended
    if (usedHeader >= this.header) {
      this.header = usedHeader;
      this.ownAtHeader = ticket?.ownUpTo ?? this.own;
      // Ours sent before this one are counted too (requests are handled in the order they arrive).
      this.foreign = Math.max(this.foreign, usedHeader - this.ownAtHeader);
      if (!this.firstHeaderAt) {
        this.firstHeaderAt = this.now();
        this.foreignAtFirstHeader = this.foreign;
      }
    }
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

  /**
   * Resolves (with the exchange-clock time) once no Retry-After is running; throws during a ban.
   * Every request waits here, paced or not: a call inside Retry-After counts towards a ban.
   */
  async unblocked(signal?: AbortSignal): Promise<number> {
    for (;;) {
      const now = this.now();
      if (now < this.bannedUntil) throw new NonRetryableError(this.banMessage, 'BinanceBanned');
      if (now >= this.blockedUntil) return now;
      await sleep(this.blockedUntil - now, signal);
    }
  }

  private sleepOrWake(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(signal!.reason ?? new Error('aborted'));
      };
      if (signal?.aborted) return onAbort();
      const timer = setTimeout(finish, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wakeups.push(finish);
    });
  }

  private wake(): void {
    const w = this.wakeups;
    this.wakeups = [];
    for (const f of w) f();
  }
}

const shared = new Map<string, WeightBudget>();

export function sharedBudget(baseUrl: string): WeightBudget {
  let b = shared.get(baseUrl);
  if (!b) shared.set(baseUrl, (b = new WeightBudget()));
  return b;
}
