// The demo generator CLI: NDJSON out, backpressure respected, usable as a module and as a command.
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { writeScenario } from "../examples/demo/generate.js";
import { generateMentions } from "../examples/demo/scenario.js";

const run = promisify(execFile);
const opts = { days: 1, baseRatePerHour: 200, seed: 11 };

// Importing generate.js does not run the command: if it did, commander would parse vitest's argv and exit.

/** A sink with a tiny buffer that acknowledges writes late, so write() keeps returning false. */
function slowSink(): { stream: Writable; text: () => string; maxBuffered: () => number } {
  const chunks: string[] = [];
  let maxBuffered = 0;
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      maxBuffered = Math.max(maxBuffered, stream.writableLength);
      chunks.push(chunk.toString());
      setImmediate(done);
    },
  });
  return { stream, text: () => chunks.join(""), maxBuffered: () => maxBuffered };
}

describe("demo generate CLI", () => {
  it("streams the scenario as NDJSON, one mention per line, waiting for drain", async () => {
    const sink = slowSink();
    const summary = await writeScenario(opts, sink.stream);
    sink.stream.end();
    await once(sink.stream, "finish");
    const lines = sink.text().trimEnd().split("\n");
    expect(lines.length).toBe(summary.count);
    const expected = [...generateMentions(opts)].map((m) => `${JSON.stringify(m)}\n`).join("");
    expect(sink.text() === expected).toBe(true);
    expect(summary.first).toBe(JSON.parse(lines[0] ?? "{}").created_at);
    expect(summary.last).toBe(JSON.parse(lines.at(-1) ?? "{}").created_at);
    // Never more than one chunk in flight beyond the high-water mark: backpressure was honoured.
    expect(sink.maxBuffered()).toBeLessThan(200 * 1024);
  });

  it("runs as a command, writes the file and prints a one-line summary", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-demo-"));
    try {
      const out = join(dir, "demo.ndjson");
      const { stderr } = await run(
        process.execPath,
        [
          "--import",
          "tsx",
          "examples/demo/generate.ts",
          "--days",
          "1",
          "--rate",
          "200",
          "--seed",
          "11",
          "--out",
          out,
        ],
        { cwd: join(import.meta.dirname, "..") },
      );
      const lines = (await readFile(out, "utf8")).trimEnd().split("\n");
      expect(stderr).toMatch(new RegExp(`^wrote ${lines.length} mentions \\(2026-03-02T.* to ${out}`));
      expect(lines.length).toBe([...generateMentions(opts)].length);
      await expect(
        run(process.execPath, ["--import", "tsx", "examples/demo/generate.ts", "--days", "zero"], {
          cwd: join(import.meta.dirname, ".."),
        }),
      ).rejects.toMatchObject({ code: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
