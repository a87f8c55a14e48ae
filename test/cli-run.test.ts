// `tocsin run` as a user runs it: a real process, a real socket, SIGTERM, and a restart.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeScenario } from "../examples/demo/generate.js";
import { ROOT, exited, startTocsin } from "./helpers/tocsin-process.js";

let dir: string;
let demo: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-cli-"));
  demo = join(dir, "demo.ndjson");
  const out = createWriteStream(demo);
  await writeScenario({ days: 1, crisis: false, baseRatePerHour: 60 }, out);
  await new Promise<void>((resolve) => out.end(resolve));
  config = join(dir, "tocsin.yaml");
  await writeFile(config, `listen: 127.0.0.1:0\ndata_dir: ${join(dir, "state")}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("tocsin run", () => {
  it("replays a file, serves its series, snapshots on SIGTERM and restores them after a restart", async () => {
    const first = await startTocsin(["--config", config, "--replay", demo, "--speed", "0"]);
    await first.waitForLog(/replay of .* done/);
    expect(first.stdout()).toMatch(/Replay summary, per brand and day/);
    expect(first.stdout()).toMatch(/kryptonite\s+2026-03-02\s+\d+/);
    const query =
      "/v1/series?metric=mentions&brand=kryptonite&channel=all&from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z";
    const before = (await (await fetch(`${first.url}${query}`)).json()) as {
      series: Array<{ points: unknown[] }>;
    };
    expect(before.series[0]?.points).toHaveLength(288); // a whole day of 5-minute windows
    first.child.kill("SIGTERM");
    expect(await exited(first.child)).toBe(0);
    expect((await stat(join(dir, "state", "series.snapshot"))).size).toBeGreaterThan(0);

    // An empty replay keeps the clock in March: a live clock would rightly age the restored days out.
    const second = await startTocsin(["--config", config, "--replay", "/dev/null"]);
    try {
      const after = (await (await fetch(`${second.url}${query}`)).json()) as typeof before;
      expect(after.series[0]?.points).toEqual(before.series[0]?.points);
    } finally {
      second.child.kill("SIGTERM");
      await exited(second.child);
    }
  }, 60_000);

  it("refuses a bad config with file:line:col and exit code 1", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "window: often\n");
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "run", "--config", bad], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    expect(await exited(child)).toBe(1);
    expect(stderr).toContain(`${bad}:1:9: window: expected a window width`);
  });
});
