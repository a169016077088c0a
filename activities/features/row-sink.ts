// Growable columnar buffers for dataset rows (no object per row), sorted by (time, symbol) on
// finish so training code gets rows in time order.
import type { Dataset, DatasetMeta } from './dataset';

export class RowSink {
  private n = 0;
  private X: Float64Array;
  private y: Float64Array;
  private time: Float64Array;
  private symbol: string[] = [];

  constructor(readonly featureNames: string[], capacity = 1024) {
    this.X = new Float64Array(capacity * featureNames.length);
    this.y = new Float64Array(capacity);
    this.time = new Float64Array(capacity);
  }

  get rows(): number {
    return this.n;
  }

  /** Returns the row's feature slice to fill in place. */
  push(symbol: string, time: number, label: number): Float64Array {
    if (this.n === this.y.length) this.grow();
    const nf = this.featureNames.length;
    this.y[this.n] = label;
    this.time[this.n] = time;
    this.symbol.push(symbol);
    const row = this.X.subarray(this.n * nf, (this.n + 1) * nf);
    this.n++;
    return row;
  }

  finish(meta: DatasetMeta): Dataset {
    const nf = this.featureNames.length;
    const order = Array.from({ length: this.n }, (_, i) => i);
    order.sort((a, b) => this.time[a] - this.time[b] || (this.symbol[a] < this.symbol[b] ? -1 : this.symbol[a] > this.symbol[b] ? 1 : 0));
    const X = new Float64Array(this.n * nf);
    const y = new Float64Array(this.n);
    const time = new Float64Array(this.n);
    const symbol: string[] = new Array(this.n);
    order.forEach((src, dst) => {
      X.set(this.X.subarray(src * nf, (src + 1) * nf), dst * nf);
      y[dst] = this.y[src];
      time[dst] = this.time[src];
      symbol[dst] = this.symbol[src];
    });
    return { featureNames: this.featureNames, X, y, time, symbol, meta };
  }

  private grow(): void {
    const cap = this.y.length * 2;
    const nf = this.featureNames.length;
    const X = new Float64Array(cap * nf);
    X.set(this.X);
    const y = new Float64Array(cap);
    y.set(this.y);
    const time = new Float64Array(cap);
    time.set(this.time);
    this.X = X;
    this.y = y;
    this.time = time;
  }
}
