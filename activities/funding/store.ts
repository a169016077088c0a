// Funding rates in Redis: a sorted set per symbol, `funding:SYMBOL`, scored by settlement time,
// members "time:rate:markPrice"; `funding:SYMBOL:meta` says where they came from and whether the
// source marked them simulated. Writing a time again replaces its record (idempotent re-runs).
import type Redis from 'ioredis';
import type { FundingRate } from './record';

export class FundingStore {
  constructor(readonly redis: Redis) {}

  key(symbol: string): string {
    return `funding:${symbol}`;
  }

  /** Stores records (replacing any at the same times); returns how many were new or changed. */
  async put(symbol: string, records: FundingRate[], meta: { source: string; simulated: boolean }): Promise<number> {
    if (records.length === 0) return 0;
    const key = this.key(symbol);
    const members = records.map((r) => `${r.time}:${r.rate}:${Number.isNaN(r.markPrice) ? '' : r.markPrice}`);
    const before = await this.redis.zmscore(key, ...members);
    const changed = records.filter((_, i) => before[i] === null);
    const multi = this.redis.multi();
    for (const r of changed) multi.zremrangebyscore(key, r.time, r.time);
    changed.forEach((r) => multi.zadd(key, r.time, members[records.indexOf(r)]));
    multi.hset(`${key}:meta`, 'source', meta.source, 'simulated', meta.simulated ? '1' : '0');
    await multi.exec();
    return changed.length;
  }

  /** Records with settlement time in [fromMs, toMs], ascending. */
  async range(symbol: string, fromMs: number, toMs: number): Promise<FundingRate[]> {
    const members = await this.redis.zrangebyscore(this.key(symbol), fromMs, toMs);
    return members.map((m) => {
      const [time, rate, mark] = m.split(':');
      return { time: Number(time), rate: Number(rate), markPrice: mark === '' ? NaN : Number(mark) };
    });
  }

  async meta(symbol: string): Promise<{ source?: string; simulated: boolean }> {
    const m = await this.redis.hgetall(`${this.key(symbol)}:meta`);
    return { source: m.source, simulated: m.simulated === '1' };
  }
}
