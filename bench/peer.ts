// Peer comparison (issue 8): the same injected spike through Prometheus + Alertmanager (Debian's
// prometheus 2.42 and prometheus-alertmanager 0.25) and through a real `tocsin run`, each paging a
// local webhook; the time from the spike's first mention to the firing notification, for both.
//
// One stream of negative mentions feeds both at once: every 100 ms the benchmark counts each brand's
// new mentions in its exporter (which Prometheus scrapes) and POSTs the same mentions to Tocsin's
// /v1/mentions. Every brand has a steady baseline; each repeat spikes one fresh brand (so each is a
// new alert and a new notification group on both sides) after a random 0–1 s pause, so the spike's
// phase against scrapes, evaluations and windows varies. t0: just before the first spike mention is
// counted and posted; t1: when the webhook receives that brand's firing notification.
//
// Both sides page at the same level, `threshold` negative mentions per second, with the shortest
// intervals each accepts (bench/lib/peer-prometheus.ts, bench/lib/peer-tocsin.ts); the figure's
// details list them, as they decide most of the latency on both sides.
//
//   npm run bench -- --only peer [--size small|full]
//
// Without prometheus or prometheus-alertmanager installed the benchmark is skipped with a warning,
// except under CI=true, where that is a failure.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { runBench } from "./lib/cli.js";
import type { BenchSize, Figure } from "./lib/figure.js";
import { Feed } from "./lib/peer-feed.js";
import type { Side } from "./lib/peer-harness.js";
import { startHarness } from "./lib/peer-harness.js";
import { sleep } from "./lib/peer-process.js";
import type { PeerStack } from "./lib/peer-prometheus.js";
import {
  ALERTMANAGER,
  PEER_INTERVALS,
  PROMETHEUS,
  peerExpression,
  peerInstalled,
  promCount,
  startPeer,
} from "./lib/peer-prometheus.js";
import type { TocsinSide } from "./lib/peer-tocsin.js";
import { startTocsinSide, TOCSIN_SETTINGS } from "./lib/peer-tocsin.js";

const COMMAND = "npm run bench -- --only peer";
const REPEATS: Record<BenchSize, number> = { small: 2, full: 10 };
const TICK_MS = 100;
/** Negative mentions per second: each brand's baseline, a spiking brand's extra, the paging level. */
const BASELINE = 3;
const SPIKE = 100;
const THRESHOLD = 20;
/** Baseline before the first spike, and between spikes. */
const WARMUP_MS = 3_000;
const SETTLE_MS = 1_000;
/** A side that has not paged by then has failed. */
const PAGE_TIMEOUT_MS = 20_000;

interface Repeat {
  brand: string;
  tocsin: number;
  peer: number;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

async function measure(size: BenchSize): Promise<{ repeats: Repeat[]; late: number; slowestPost: number }> {
  const count = REPEATS[size];
  const run = Date.now().toString(36);
  const brands = Array.from({ length: count }, (_, i) => `peer${run}b${i}`);
  const dir = await mkdtemp(join(tmpdir(), "tocsin-peer-"));
  const harness = await startHarness();
  let peer: PeerStack | undefined;
  let tocsin: TocsinSide | undefined;
  let feed: Feed | undefined;
  let ok = false;
  try {
    [peer, tocsin] = await Promise.all([
      startPeer(join(dir, "peer"), {
        threshold: THRESHOLD,
        exporterUrl: harness.exporterUrl,
        webhookUrl: harness.webhookUrl("peer"),
      }),
      startTocsinSide(join(dir, "tocsin"), THRESHOLD, harness.webhookUrl("tocsin")),
    ]);
    const prometheusUrl = peer.prometheusUrl;
    feed = new Feed({ tickMs: TICK_MS, baseline: BASELINE, spike: SPIKE }, brands, harness, tocsin);
    feed.start();
    // Prometheus's rate needs two scrapes of every brand before a spike can show in it.
    const warmup = sleep(WARMUP_MS);
    await waitFor(
      "Prometheus to scrape every brand twice",
      async () => (await promCount(prometheusUrl, "irate(negative_mentions_total[5s])")) === count,
      30_000,
    );
    await warmup;
    const repeats: Repeat[] = [];
    for (const brand of brands) {
      await sleep(Math.random() * 1_000);
      const t0 = await feed.spike(brand);
      // Where the spike starts in Tocsin's 1 s window (epoch-aligned): explains its share of the wait.
      const phase = Math.round((performance.timeOrigin + t0) % 1_000);
      const fired = (side: Side) => harness.firedAt(side, brand) !== undefined;
      await waitFor(
        `both sides to page about ${brand}`,
        () => {
          if (feed?.error) throw feed.error;
          return fired("tocsin") && fired("peer");
        },
        PAGE_TIMEOUT_MS,
      ).catch((error: Error) => {
        const missing = (["tocsin", "peer"] as const).filter((side) => !fired(side));
        throw new Error(`${error.message} (no page from ${missing.join(", ")}; logs in ${dir})`);
      });
      feed.calm(brand);
      const repeat = {
        brand,
        tocsin: (harness.firedAt("tocsin", brand) as number) - t0,
        peer: (harness.firedAt("peer", brand) as number) - t0,
      };
      console.log(
        `  spike ${repeats.length + 1}/${count}: Tocsin ${ms(repeat.tocsin)}, peer ${ms(repeat.peer)} (started ${phase} ms into a window)`,
      );
      repeats.push(repeat);
      await sleep(SETTLE_MS);
    }
    if (harness.errors.length > 0)
      throw new Error(`unreadable webhook bodies:\n${harness.errors.join("\n")}`);
    ok = true;
    return { repeats, late: feed.late, slowestPost: feed.slowestPost };
  } finally {
    await feed?.stop();
    await Promise.all([peer?.stop(), tocsin?.stop()]);
    await harness.close();
    // A failed run keeps its servers' logs (the error says where).
    if (ok) await rm(dir, { recursive: true, force: true });
  }
}

const ms = (value: number) => `${Math.round(value)} ms`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function version(binary: string): string {
  const line = execFileSync(binary, ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  return /version (\d+\.\d+\.\d+)/.exec(line)?.[1] ?? "?";
}

async function peerBench({ size }: { size: BenchSize }): Promise<Figure[]> {
  if (!(await peerInstalled())) {
    const message = `${PROMETHEUS} or ${ALERTMANAGER} is not installed (apt-get install prometheus prometheus-alertmanager)`;
    if (process.env.CI === "true") throw new Error(message);
    console.warn(`peer: skipped: ${message}`);
    return [];
  }
  const against = `Prometheus ${version(PROMETHEUS)} + Alertmanager ${version(ALERTMANAGER)}`;
  const { repeats, late, slowestPost } = await measure(size);
  const tocsin = repeats.map((r) => r.tocsin);
  const peer = repeats.map((r) => r.peer);
  const t = TOCSIN_SETTINGS;
  const p = PEER_INTERVALS;
  const details = {
    spikes: repeats.length,
    feed: `${BASELINE}/s negative baseline per brand, spike +${SPIKE}/s, paging at ${THRESHOLD}/s`,
    tocsin: `window ${t.window}, lateness ${t.lateness}, clock tick ${t.tick}, threshold above ${THRESHOLD} per window, for ${t.for}, group_wait ${t.group_wait}, group_interval ${t.group_interval}`,
    peer: `scrape_interval ${p.scrape_interval}, evaluation_interval ${p.evaluation_interval}, \`${peerExpression(THRESHOLD)}\`, for ${p.for}, group_wait ${p.group_wait}, group_interval ${p.group_interval}`,
    "late mentions (Tocsin)": late,
    "slowest POST /v1/mentions (ms)": Math.round(slowestPost),
  };
  const notes = `Per spike (Tocsin / peer, ms): ${repeats.map((r) => `${Math.round(r.tocsin)}/${Math.round(r.peer)}`).join(", ")}. Time from the spike's first mention to the firing notification at a local webhook; ratio = peer / Tocsin (above 1: Tocsin pages sooner). Tocsin closes a window when a later mention arrives (here within ${TICK_MS} ms) or, on a quiet feed, at its ${t.tick} clock tick.`;
  const figure = (stat: string, pick: (values: number[]) => number): Figure => {
    const value = pick(tocsin);
    const other = pick(peer);
    return {
      id: `peer.page-latency.${stat}`,
      title: `Spike to page, ${stat} of ${repeats.length}`,
      value,
      unit: "ms",
      comparison: { against, value: other, ratio: other / value },
      command: COMMAND,
      details,
      notes,
    };
  };
  return [figure("median", median), figure("max", (values) => Math.max(...values))];
}

await runBench(peerBench);
