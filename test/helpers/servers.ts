// The real servers the tests run against, from Debian's packages: each started on 127.0.0.1 with a
// free port and a temporary data directory, waited on until it answers, and stopped by PID (the
// directory removed). In CI (CI=true) a missing binary is a failure; elsewhere the test may skip.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RealServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  dir: string;
  pid: number;
  /** What the process printed, for failure messages. */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) but keeps its data directory. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory (an outage that ends). */
  restart(): Promise<void>;
  /** Stops it and removes its data directory. */
  dispose(): Promise<void>;
}

/** Whether a server binary is installed; in CI its absence throws instead of skipping. */
export function hasBinary(binary: string): boolean {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`]).status === 0;
  if (!found && process.env.CI === "true")
    throw new Error(`${binary} is not installed: .ci/run installs it with apt-get`);
  return found;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface ServerSpec {
  name: string;
  /** Builds the command line for a port and a data directory (may write config files there). */
  command(port: number, dir: string): Promise<{ binary: string; args: string[] }>;
  /** A GET on this path answers 2xx once the server is ready. */
  readyPath: string;
  readyTimeoutMs?: number;
}

async function startServer(spec: ServerSpec): Promise<RealServer> {
  const dir = await mkdtemp(join(tmpdir(), `tocsin-${spec.name}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { binary, args } = await spec.command(port, dir);
  let child: ChildProcess | undefined;
  let output = "";

  const launch = async () => {
    const started = spawn(binary, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    started.stdout?.on("data", (data: Buffer) => (output = (output + data.toString()).slice(-20_000)));
    started.stderr?.on("data", (data: Buffer) => (output = (output + data.toString()).slice(-20_000)));
    const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
    for (;;) {
      if (started.exitCode !== null) throw new Error(`${spec.name} exited (${started.exitCode}):\n${output}`);
      try {
        const response = await fetch(`${url}${spec.readyPath}`, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`${spec.name} not ready after ${spec.readyTimeoutMs ?? 30_000} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGTERM");
    const timer = setTimeout(() => running.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url,
    port,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    output: () => output,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** InfluxDB 1.x (`influxd`): HTTP on the port, its RPC port on another free one, no reporting. */
export function startInfluxd(): Promise<RealServer> {
  return startServer({
    name: "influxd",
    readyPath: "/ping",
    async command(port, dir) {
      const config = join(dir, "influxdb.conf");
      await writeFile(
        config,
        `reporting-enabled = false
bind-address = "127.0.0.1:${await freePort()}"
[meta]
  dir = "${join(dir, "meta")}"
[data]
  dir = "${join(dir, "data")}"
  wal-dir = "${join(dir, "wal")}"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
[logging]
  level = "warn"
`,
      );
      return { binary: "influxd", args: ["run", "-config", config] };
    },
  });
}

/** VictoriaMetrics: accepts InfluxDB line protocol on /write and /api/v2/write. */
export function startVictoriaMetrics(): Promise<RealServer> {
  return startServer({
    name: "victoria-metrics",
    readyPath: "/health",
    command: async (port, dir) => ({
      binary: "victoria-metrics",
      args: [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-storageDataPath=${join(dir, "data")}`,
        "-retentionPeriod=100y",
        "-search.latencyOffset=0s",
        "-loggerLevel=ERROR",
      ],
    }),
  });
}

/** Prometheus scraping `targets` (host:port) every `scrapeInterval`. */
export function startPrometheus(targets: string[], scrapeInterval = "1s"): Promise<RealServer> {
  return startServer({
    name: "prometheus",
    readyPath: "/-/ready",
    async command(port, dir) {
      const config = join(dir, "prometheus.yml");
      await writeFile(
        config,
        `global:
  scrape_interval: ${scrapeInterval}
  evaluation_interval: ${scrapeInterval}
scrape_configs:
  - job_name: tocsin
    static_configs:
      - targets: ${JSON.stringify(targets)}
`,
      );
      return {
        binary: "prometheus",
        args: [
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
          "--log.level=warn",
        ],
      };
    },
  });
}
