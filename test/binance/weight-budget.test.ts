// WeightBudget's windows against an uncertain clock (pure logic, fake time): a window boundary is
// passed only once it surely has passed on the exchange, so a full window is not forgotten early.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WeightBudget } from '../../activities/binance/weight-budget';

afterEach(() => {
  vi.useRealTimers();
});

/** Whether a promise has settled, after letting pending callbacks run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('WeightBudget and the exchange clock', () => {
  it('places windows late by the clock uncertainty: a nearly full window is kept until it has surely ended', async () => {
    vi.useFakeTimers({ now: 10_990 });
    const budget = new WeightBudget({ limits: { limit: 100, windowMs: 1000 } });
    budget.setClock(0, 50); // the exchange's clock: ours, give or take 50 ms
    budget.release(await budget.acquire(90)); // 90 of 97 usable in the window [10 000, 11 000)
    vi.setSystemTime(11_020); // past 11 000 by our estimate, not surely on the exchange
    const next = budget.acquire(10);
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(20); // 11 040
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(40); // 11 080: 11 000 has passed even 50 ms late
    expect(await settled(next)).toBe(true);
  });

  it('keeps the current window when a re-sync moves the estimate backwards', async () => {
    vi.useFakeTimers({ now: 11_100 });
    const budget = new WeightBudget({ limits: { limit: 100, windowMs: 1000 } });
    budget.setClock(0, 10);
    budget.release(await budget.acquire(2), 95); // the header: 95 used in [11 000, 12 000)
    budget.setClock(-200, 10); // a later sync: the exchange is 200 ms behind us
    const next = budget.acquire(2);
    expect(await settled(next)).toBe(false); // not a fresh window [10 000, 11 000) with nothing used
    await vi.advanceTimersByTimeAsync(2000); // (the other client's 93 is kept free in the next window)
    expect(await settled(next)).toBe(true);
  });

  it('follows a clock that moved back by more than its uncertainty (a first sync, a jump), keeping the counts', async () => {
    vi.useFakeTimers({ now: 11_100 });
    const budget = new WeightBudget({ limits: { limit: 100, windowMs: 1000 } });
    budget.release(await budget.acquire(2), 95); // before any sync: our clock; 95 used
    budget.setClock(-5000, 10); // the exchange is 5 s behind us
    const next = budget.acquire(2);
    expect(await settled(next)).toBe(false); // the 95 still count
    await vi.advanceTimersByTimeAsync(2000); // not stuck waiting 5 s for the old window's end
    expect(await settled(next)).toBe(true);
  });

  it('another client that starts mid-window is projected at its rate since we first saw the window, not its average since the window began', async () => {
    vi.useFakeTimers({ now: 31_500 }); // window [30 000, 33 000), half gone
    const budget = new WeightBudget({ limits: { limit: 600, windowMs: 3000 } });
    budget.setClock(0, 0);
    budget.release(await budget.acquire(2), 2); // nobody else yet
    vi.setSystemTime(31_900); // the other client started at 31 500: 40 spent, 0.1 a ms
    budget.release(await budget.acquire(2), 44);
    // At 0.1 a ms it spends 150 in this window: our share is 582 − 150 = 432, and 73% of it
    // (elapsed 63% + lead 10%) is 317, so 4 + 350 must wait. Its average since the window began
    // (40 in 1,900 ms) would project 63 and let it through.
    expect(await settled(budget.acquire(350))).toBe(false);
    expect(await settled(budget.acquire(300))).toBe(true);
  });
});
