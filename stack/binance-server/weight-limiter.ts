// Binance's REQUEST_WEIGHT limiter, per client IP, on fixed windows aligned to the epoch (the
// minute, by default). Over the limit → 429 with Retry-After (seconds to the window's end). A
// request sent while told to wait is a violation, counted and answered 429 again; the
// `violationsBeforeBan`-th (3 by default) earns a 418, a ban of banMs.
export interface WeightLimits {
  limit: number;
  windowMs: number;
  banMs: number;
  violationsBeforeBan?: number;
}

export type WeightVerdict =
  | { status: 200; used: number }
  | { status: 429 | 418; used: number; retryAfterS: number; untilMs: number; violation?: boolean };

interface IpState {
  windowStart: number;
  used: number;
  waitUntil: number;
  bannedUntil: number;
  violations: number;
}

export class WeightLimiter {
  private ips = new Map<string, IpState>();
  /** Requests that came inside a Retry-After they had been given (all IPs, since reset). */
  violations = 0;

  constructor(public limits: WeightLimits) {}

  charge(ip: string, weight: number, now = Date.now()): WeightVerdict {
    const { limit, windowMs, banMs } = this.limits;
    let st = this.ips.get(ip);
    if (!st) this.ips.set(ip, (st = { windowStart: 0, used: 0, waitUntil: 0, bannedUntil: 0, violations: 0 }));
    if (now >= st.windowStart + windowMs) {
      st.windowStart = Math.floor(now / windowMs) * windowMs;
      st.used = 0;
    }
    const seconds = (until: number) => Math.max(1, Math.ceil((until - now) / 1000));
    if (now < st.bannedUntil) return { status: 418, used: st.used, retryAfterS: seconds(st.bannedUntil), untilMs: st.bannedUntil };
    if (now < st.waitUntil) {
      this.violations++;
      if (++st.violations >= (this.limits.violationsBeforeBan ?? 3)) {
        st.bannedUntil = now + banMs;
        return { status: 418, used: st.used, retryAfterS: seconds(st.bannedUntil), untilMs: st.bannedUntil };
      }
      return { status: 429, used: st.used, retryAfterS: seconds(st.waitUntil), untilMs: st.waitUntil, violation: true };
    }
    if (st.used + weight > limit) {
      st.waitUntil = st.windowStart + windowMs;
      return { status: 429, used: st.used, retryAfterS: seconds(st.waitUntil), untilMs: st.waitUntil };
    }
    st.used += weight;
    return { status: 200, used: st.used };
  }

  /** Whether an IP has been told to wait (429 Retry-After) or is banned. */
  waiting(ip: string, now = Date.now()): boolean {
    const st = this.ips.get(ip);
    return !!st && (now < st.waitUntil || now < st.bannedUntil);
  }

  /** Current used weight of an IP (0 if its window has passed). */
  used(ip: string, now = Date.now()): number {
    const st = this.ips.get(ip);
    return st && now < st.windowStart + this.limits.windowMs ? st.used : 0;
  }

  reset(): void {
    this.ips.clear();
    this.violations = 0;
  }
}

/** "1M", "6S", "1H": the suffix of X-MBX-USED-WEIGHT-* and the rateLimits entry for a window. */
export function windowSpec(windowMs: number): { interval: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY'; intervalNum: number; suffix: string } {
  const units = [
    ['DAY', 'D', 86_400_000],
    ['HOUR', 'H', 3_600_000],
    ['MINUTE', 'M', 60_000],
    ['SECOND', 'S', 1000],
  ] as const;
  for (const [interval, letter, ms] of units) {
    if (windowMs % ms === 0) return { interval, intervalNum: windowMs / ms, suffix: `${windowMs / ms}${letter}` };
  }
  throw new Error(`weight window must be a whole number of seconds, got ${windowMs} ms`);
}
