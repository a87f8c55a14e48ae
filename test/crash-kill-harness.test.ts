// The crash harness: the same stream of mentions is posted to two `tocsin run` processes, one left
// alone and one killed with SIGKILL at random points (at least 20 times) and restarted on the same
// data_dir. A client that is not answered 202 posts the batch again, as any client of the API would.
// When every window has closed, both hold the same series: nothing acknowledged was lost, nothing
// counted twice.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Random } from "../examples/demo/random.js";
import type { RunningTocsin } from "./helpers/tocsin-process.js";
import { exited, startTocsin } from "./helpers/tocsin-process.js";

const KILLS = 20;
const BATCHES = 160;
const PER_BATCH = 20;
const WINDOW_S = 5;
const LATENESS_S = 15;
const BRANDS = ["kryptonite", "velora", "acme"];
const CHANNELS = ["twitter", "forum", "news"];

const dirs: string[] = [];
const running: RunningTocsin[] = [];

async function configIn(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tocsin-crash-${name}-`));
  dirs.push(dir);
  const path = join(dir, "tocsin.yaml");
  await writeFile(
    path,
    `listen: 127.0.0.1:0
data_dir: ${join(dir, "state")}
window: ${WINDOW_S}s
lateness: ${LATENESS_S}s
storage: { snapshot: true, snapshot_interval: 1s }
rules: { paths: [], watch: false }
alerts: { console: false, log: "" }
`,
  );
  return path;
}

async function start(config: string): Promise<RunningTocsin> {
  const tocsin = await startTocsin(["--config", config]);
  running.push(tocsin);
  return tocsin;
}

async function post(url: string, lines: string): Promise<number> {
  try {
    const response = await fetch(`${url}/v1/mentions`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: lines,
    });
    return response.status;
  } catch {
    return 0; // refused or reset: the process is down
  }
}

/** Every stored point of every series of `metric`, as "brand/channel@time=value". */
async function seriesOf(url: string, metric: string, from: number, to: number): Promise<string[]> {
  const response = await fetch(`${url}/v1/series?metric=${metric}&from=${from}&to=${to}`);
  const body = (await response.json()) as {
    series: Array<{ labels: Record<string, string>; points: Array<{ time: number; value: number }> }>;
  };
  return body.series
    .flatMap((series) =>
      series.points
        .filter((point) => point.value !== 0)
        .map((point) => `${series.labels.brand}/${series.labels.channel}@${point.time}=${point.value}`),
    )
    .sort();
}

afterAll(async () => {
  for (const tocsin of running) {
    tocsin.child.kill("SIGKILL");
    await exited(tocsin.child);
  }
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("crash safety", () => {
  it(`keeps the same series through ${KILLS} random SIGKILLs as an uninterrupted run: none lost, none twice`, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    // The demo's seeded generator, so a failing seed can be replayed (CRASH_SEED).
    const generator = new Random(seed);
    const next = () => generator.next();
    const reference = await start(await configIn("reference"));
    const killedConfig = await configIn("killed");
    let victim = await start(killedConfig);
    // Batches at which the victim dies, some while a request is in flight.
    const killAt = new Set<number>();
    while (killAt.size < KILLS) killAt.add(1 + Math.floor(next() * (BATCHES - 2)));
    const begin = Date.now();
    let kills = 0;
    let resent = 0;
    for (let batch = 0; batch < BATCHES; batch++) {
      const time = Date.now();
      const lines = Array.from({ length: PER_BATCH }, (_, i) =>
        JSON.stringify({
          id: `b${batch}-${i}`,
          brand: BRANDS[Math.floor(next() * BRANDS.length)],
          channel: CHANNELS[Math.floor(next() * CHANNELS.length)],
          text: "the lock opened with a pen",
          sentiment: next() < 0.4 ? "negative" : "neutral",
          created_at: new Date(time + i).toISOString(),
        }),
      ).join("\n");
      expect(await post(reference.url, lines)).toBe(202);
      const sending = post(victim.url, lines);
      if (killAt.has(batch)) {
        // Mid-request, or just after the answer: wherever the kill lands, the client resends.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 4)));
        victim.child.kill("SIGKILL");
        await exited(victim.child);
        kills++;
      }
      let status = await sending;
      while (status !== 202) {
        if (victim.child.exitCode !== null || victim.child.signalCode !== null)
          victim = await start(killedConfig);
        resent++;
        status = await post(victim.url, lines);
      }
    }
    // Every window closes once the clock passes its end and the lateness.
    const last = Date.now();
    await new Promise((resolve) => setTimeout(resolve, (WINDOW_S + LATENESS_S + 2) * 1000));
    const from = begin - WINDOW_S * 1000;
    const to = last + WINDOW_S * 1000;
    for (const metric of ["mentions", "negative"]) {
      const expected = await seriesOf(reference.url, metric, from, to);
      expect(expected.length).toBeGreaterThan(0);
      expect(await seriesOf(victim.url, metric, from, to), `seed ${seed}, metric ${metric}`).toEqual(
        expected,
      );
    }
    expect(kills).toBe(KILLS);
    // Some kills land after the answer (nothing to resend), some before it: the log must hold either way.
    expect(resent).toBeGreaterThan(0);
  }, 240_000);
});
