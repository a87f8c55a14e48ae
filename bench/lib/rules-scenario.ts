// The world of the rule-evaluation benchmark: N series keys (brand × channel) with a daily rhythm,
// ten rules of nine detector types that watch every key, and the engine config (memory store, 7 d
// retention, 5 m windows, no snapshot). Values are drawn from a seeded generator, so every run and
// every size sees the same kind of data.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import type { ClosedWindow, SeriesKey } from "../../src/model/index.js";
import { METRICS } from "../../src/model/index.js";

export const WINDOW_MS = 300_000;
export const DAY_MS = 86_400_000;
export const WINDOWS_PER_DAY = DAY_MS / WINDOW_MS;

/** Ten channels per brand, the brand's total ("all") among them: N keys are N / 10 brands. */
const CHANNELS = [
  "all",
  "twitter",
  "facebook",
  "instagram",
  "tiktok",
  "youtube",
  "reddit",
  "forum",
  "news",
  "review",
] as const;

/**
 * Ten rules, no `by` and no match: every rule judges every key, so a tick is 10 × N detector
 * evaluations (the heaviest reading of "10 rules per window close"). Thresholds are set so that the
 * generated noise rarely breaches: the figures are those of a quiet day, not of a crisis.
 */
export const RULES_YAML = `groups:
  - name: bench
    rules:
      - alert: NegativeAboveLine
        metric: negative
        detector: { type: threshold, above: 5000, min_count: 10 }
        severity: info
      - alert: MentionsVsYesterday
        metric: mentions
        detector: { type: ratio, baseline: yesterday, factor: 6, min_count: 200 }
        for: 10m
      - alert: ReachVsLastWeek
        metric: negative_reach
        detector: { type: ratio, baseline: last_week, factor: 20, min_count: 100000 }
        for: 10m
      - alert: NegativeRobustZ
        metric: negative
        detector: { type: robust_z, window: 1d, z: 8, min_count: 30 }
        for: 10m
      - alert: NegativeShareEwma
        metric: negative_share
        detector: { type: ewma, alpha: 0.05, k: 8, sd_floor: 0.1, min_count: 0.9 }
        for: 15m
      - alert: NegativeBuzzSpike
        metric: negative
        detector: { type: poisson, baseline: 4d, seasonality: daily, slot: 1h, p_value: 1.0e-9, min_count: 30 }
        for: 10m
        keep_firing_for: 30m
        critical: { p_value: 1.0e-15, min_count: 60 }
        recovery: { p_value: 1.0e-3, min_count: 5 }
        labels: { team: comms }
        annotations:
          summary: "{{ brand }}/{{ channel }}: {{ value }} negative mentions, {{ factor | round }}x the usual"
      - alert: NegativeOverdispersed
        metric: negative
        detector: { type: negative_binomial, baseline: 7d, seasonality: daily, slot: 1h, p_value: 1.0e-9, min_count: 30 }
        for: 10m
      - alert: MentionsSeasonal
        metric: mentions
        detector: { type: seasonal, period: day, slot: 1h, periods: 7, factor: 4, z: 8, min_count: 100 }
        for: 10m
      - alert: NegativeSlowBurn
        metric: negative
        detector: { type: cusum, k: 1, h: 12, half_life: 2d, warmup: 1d, seasonality: daily, min_count: 30 }
        for: 15m
        keep_firing_for: 30m
      - alert: VolumeSpike
        metric: mentions
        detector: { type: volume_spike, min_count: 200 }
        for: 5m
        keep_firing_for: 24h
`;

export const RULE_COUNT = 10;

/** Writes the rules and returns the engine config: memory store, 7 d retention, no snapshot. */
export async function benchConfig(dir: string, retentionDays: number): Promise<Config> {
  const rulesDir = join(dir, "rules");
  await mkdir(rulesDir, { recursive: true });
  await writeFile(join(rulesDir, "bench.yaml"), RULES_YAML);
  const text = [
    `data_dir: ${JSON.stringify(dir)}`,
    "window: 5m",
    `storage: { type: memory, retention: ${retentionDays}d, snapshot: false }`,
    `rules: { paths: [${JSON.stringify(rulesDir)}], watch: false }`,
    'alerts: { console: false, log: "" }',
  ].join("\n");
  return parseConfig(text, "rule-eval.yaml", {});
}

/** The series keys and each one's usual level (mentions per window) and negative share. */
export interface Population {
  keys: SeriesKey[];
  rate: Float64Array;
  share: Float64Array;
}

export function population(size: number, seed = 1): Population {
  const random = generator(seed);
  const keys: SeriesKey[] = [];
  const rate = new Float64Array(size);
  const share = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const brand = `brand-${String(Math.floor(i / CHANNELS.length)).padStart(6, "0")}`;
    const channel = CHANNELS[i % CHANNELS.length] as string;
    keys.push({ brand, channel });
    // Log-uniform between 0.5 and 150 mentions per 5 minutes; a brand's total is busier.
    rate[i] = Math.exp(Math.log(0.5) + random() * Math.log(300)) * (channel === "all" ? 4 : 1);
    share[i] = 0.08 + 0.25 * random();
  }
  return { keys, rate, share };
}

/** Fills `out` (METRICS order) with one window of key `i` at window index `index`. */
export type RowFiller = (i: number, index: number, out: Float64Array) => void;

/**
 * Counts with a daily rhythm (peak mid-afternoon UTC, trough at night) and roughly Poisson noise (a
 * normal approximation, rounded and floored at zero); the other metrics follow from them.
 */
export function rowFiller(people: Population, seed = 2): RowFiller {
  const normal = normalTable(seed);
  const pick = bits(seed + 1);
  const z = () => normal[pick() & 0xffff] as number;
  const count = (mean: number) => Math.max(0, Math.round(mean + Math.sqrt(mean) * z()));
  const daily = new Float64Array(WINDOWS_PER_DAY);
  for (let w = 0; w < WINDOWS_PER_DAY; w++)
    daily[w] = 1 + 0.6 * Math.sin(2 * Math.PI * (w / WINDOWS_PER_DAY - 0.375));
  return (i, index, out) => {
    const mean = (people.rate[i] as number) * (daily[index % WINDOWS_PER_DAY] as number);
    const mentions = count(mean);
    const negative = Math.min(mentions, count(mentions * (people.share[i] as number)));
    const replies = Math.min(negative, count(negative * 0.3));
    out[0] = mentions;
    out[1] = negative;
    out[2] = mentions > 0 ? negative / mentions : 0;
    out[3] = Math.round(negative * Math.max(1, 400 + 300 * z())); // reach sums follower counts: whole
    out[4] = Math.max(0, negative - count(negative * 0.1));
    out[5] = replies;
    out[6] = negative - replies;
    out[7] = negative > 0 ? replies / negative : 1;
    out[8] = replies > 0 ? Math.max(60, 1200 + 600 * z()) : 0;
    out[9] = Math.max(0, Math.round((negative - replies) * 0.5));
  };
}

/** One closed window of every key, each row with its own values array, as the windower emits them. */
export function closedWindow(people: Population, fill: RowFiller, index: number): ClosedWindow {
  const rows = people.keys.map((key, i) => {
    const values = new Float64Array(METRICS.length);
    fill(i, index, values);
    return { key, values };
  });
  return { start: index * WINDOW_MS, end: (index + 1) * WINDOW_MS, rows };
}

/** xorshift32: 32 random bits per call. */
function bits(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

/** Uniform in [0, 1). */
function generator(seed: number): () => number {
  const next = bits(seed);
  return () => next() / 4_294_967_296;
}

/** 64 Ki standard normal draws (Box–Muller), picked at random: cheap noise for millions of rows. */
function normalTable(seed: number): Float64Array {
  const random = generator(seed);
  const table = new Float64Array(65_536);
  for (let i = 0; i < table.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    table[i] = radius * Math.cos(angle);
    table[i + 1] = radius * Math.sin(angle);
  }
  return table;
}
