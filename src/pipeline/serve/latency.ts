/** A Prometheus-style histogram of ingest-to-stored-alert latency (seconds), and quantiles for the bench. */
const BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class LatencyHistogram {
  private readonly counts = new Array<number>(BOUNDS.length + 1).fill(0);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) seconds = 0;
    let i = 0;
    while (i < BOUNDS.length && seconds > BOUNDS[i]) i++;
    this.counts[i]++;
    this.sum += seconds;
    this.count++;
  }

  /** Cumulative counts per upper bound (the last is +Inf). */
  buckets(): [number, number][] {
    let acc = 0;
    const out: [number, number][] = [];
    for (let i = 0; i < BOUNDS.length; i++) { acc += this.counts[i]; out.push([BOUNDS[i], acc]); }
    out.push([Infinity, acc + this.counts[BOUNDS.length]]);
    return out;
  }
}
