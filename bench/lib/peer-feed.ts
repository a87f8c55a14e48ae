// The mention stream of the peer benchmark: every tick, each brand's new negative mentions are
// counted in the exporter (for Prometheus) and POSTed to Tocsin, the same mentions at the same moment.
import { performance } from "node:perf_hooks";
import type { Harness } from "./peer-harness.js";
import { sleep } from "./peer-process.js";
import type { TocsinSide } from "./peer-tocsin.js";

export interface FeedRates {
  tickMs: number;
  /** Negative mentions per second of every brand, and the extra of a spiking brand. */
  baseline: number;
  spike: number;
}

/** Posts and counts each brand's mentions every tick; a spike starts at a tick, whose time is its t0. */
export class Feed {
  private readonly carry = new Map<string, number>();
  private readonly spiking = new Set<string>();
  private readonly starts = new Map<string, (t0: number) => void>();
  private seq = 0;
  private running = true;
  private done: Promise<void> | undefined;
  late = 0;
  /** The slowest POST /v1/mentions (ms): a slow one holds back the mention that closes a window. */
  slowestPost = 0;
  error: Error | undefined;

  constructor(
    private readonly rates: FeedRates,
    private readonly brands: readonly string[],
    private readonly harness: Harness,
    private readonly tocsin: TocsinSide,
  ) {
    // Spread the brands' baseline mentions over the second rather than all in one tick.
    brands.forEach((brand, i) => this.carry.set(brand, i / brands.length));
  }

  start(): void {
    this.done = this.loop();
  }

  /** Starts a spike of `brand` at the next tick; resolves with that tick's t0. */
  spike(brand: string): Promise<number> {
    return new Promise((resolve) => this.starts.set(brand, resolve));
  }

  calm(brand: string): void {
    this.spiking.delete(brand);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async loop(): Promise<void> {
    let next = performance.now();
    while (this.running) {
      try {
        await this.tick();
      } catch (error) {
        this.error = error as Error;
        return;
      }
      next += this.rates.tickMs;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      else next = performance.now();
    }
  }

  private async tick(): Promise<void> {
    const t0 = performance.now();
    for (const [brand, resolve] of this.starts) {
      this.spiking.add(brand);
      resolve(t0);
    }
    this.starts.clear();
    const createdAt = new Date().toISOString();
    const lines: string[] = [];
    for (const brand of this.brands) {
      const due = (this.carry.get(brand) ?? 0) + (this.rates.baseline * this.rates.tickMs) / 1000;
      const baseline = Math.floor(due);
      this.carry.set(brand, due - baseline);
      const n = baseline + (this.spiking.has(brand) ? (this.rates.spike * this.rates.tickMs) / 1000 : 0);
      if (n === 0) continue;
      this.harness.count(brand, n);
      for (let i = 0; i < n; i++) lines.push(this.mention(brand, createdAt));
    }
    if (lines.length === 0) return;
    const posted = performance.now();
    this.late += await this.tocsin.post(`${lines.join("\n")}\n`);
    this.slowestPost = Math.max(this.slowestPost, performance.now() - posted);
  }

  private mention(brand: string, createdAt: string): string {
    return JSON.stringify({
      id: `peer-${++this.seq}`,
      brand,
      channel: "twitter",
      text: `${brand} broke again, really disappointed`,
      created_at: createdAt,
      sentiment: "negative",
    });
  }
}
