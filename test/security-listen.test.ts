import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../src/api/app.js";
import { isLoopback, startServer } from "../src/api/server.js";
import { parseConfig } from "../src/config/load.js";
import { testEngine } from "./helpers/engine.js";
import { ROOT } from "./helpers/tocsin-process.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** `tocsin run` with a minimal config in a temp dir: its exit code and what it wrote on stderr. */
async function run(args: string[], env: NodeJS.ProcessEnv, until?: RegExp) {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-listen-"));
  dirs.push(dir);
  const config = join(dir, "tocsin.yaml");
  await writeFile(
    config,
    `data_dir: ${dir}\nrules: { paths: [], watch: false }\nalerts: { console: false, log: "" }\n`,
  );
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "run", "-c", config, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, TOCSIN_INGEST_TOKEN: "", TOCSIN_ADMIN_TOKEN: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.stderr.on("data", (data: Buffer) => {
      stderr += data.toString();
      // Started as hoped: stop it (by its own PID) and report what it said.
      if (until?.test(stderr)) child.kill("SIGTERM");
    });
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

describe("listen address", () => {
  it("is loopback by default", () => {
    expect(parseConfig("", "empty.yaml", {}).listen).toBe("127.0.0.1:8080");
  });

  it("loopback means 127/8, ::1 and localhost; 0.0.0.0, :: and LAN addresses are not", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "[::]", "192.168.1.10", "10.0.0.1", "example.com", ""])
      expect(isLoopback(host), host).toBe(false);
  });

  it("tocsin run refuses a non-loopback address without tokens: exit 2, naming what is missing", async () => {
    const { code, stderr } = await run(["--listen", "0.0.0.0:0"], {});
    expect(code).toBe(2);
    expect(stderr).toContain(
      "tocsin: refusing to listen on 0.0.0.0:0, which is not a loopback address, without TOCSIN_INGEST_TOKEN and TOCSIN_ADMIN_TOKEN",
    );
    expect(stderr).not.toContain("tocsin listening");
  }, 30_000);

  it("one token is not enough", async () => {
    const { code, stderr } = await run(["--listen", "0.0.0.0:0"], { TOCSIN_INGEST_TOKEN: "only-ingest" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/without TOCSIN_ADMIN_TOKEN: /);
  }, 30_000);

  it("with both tokens (from files here) it listens on the address asked for", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-tokens-"));
    dirs.push(dir);
    await writeFile(join(dir, "ingest"), "ingest-from-file\n");
    await writeFile(join(dir, "admin"), "admin-from-file\n");
    const { stderr } = await run(
      ["--listen", "0.0.0.0:0"],
      { TOCSIN_INGEST_TOKEN_FILE: join(dir, "ingest"), TOCSIN_ADMIN_TOKEN_FILE: join(dir, "admin") },
      /tocsin listening on http:\/\/0\.0\.0\.0:\d+/,
    );
    expect(stderr).toMatch(/tocsin listening on http:\/\/0\.0\.0\.0:\d+/);
    expect(stderr).not.toContain("from-file");
  }, 30_000);

  it("startServer refuses too, for anyone embedding the API", async () => {
    const { engine } = await testEngine();
    await expect(startServer(createApp(engine), "0.0.0.0:0", { admin: "a" })).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0:0 without TOCSIN_INGEST_TOKEN and TOCSIN_ADMIN_TOKEN/,
    );
    await engine.stop();
  });
});
