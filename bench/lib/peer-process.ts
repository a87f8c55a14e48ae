// Child servers of the peer benchmark (Prometheus, Alertmanager, `tocsin run`): spawned with their
// output in a log file, waited on until ready, stopped by their own PID (SIGTERM, then SIGKILL), and
// killed on any exit of the benchmark so that nothing is left running.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";

export interface Server {
  name: string;
  child: ChildProcess;
  /** Where its stdout and stderr go. */
  log: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A crash or ^C of the benchmark must not leave servers behind (each is killed by its own PID).
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    for (const child of running) child.kill("SIGKILL");
    process.exit(130);
  });

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  log: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function startServer(options: StartOptions): Server {
  const out = createWriteStream(options.log);
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  void exited.then(() => {
    running.delete(child);
    out.end();
  });
  return {
    name: options.name,
    child,
    log: options.log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; fails early, with the log's tail, when the server exits. */
export async function waitReady(server: Server, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new Error(
        `${server.name} exited (${server.child.exitCode}) before ready:\n${await tail(server)}`,
      );
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`${server.name} not ready at ${url} after ${timeoutMs} ms:\n${await tail(server)}`);
    await sleep(100);
  }
}

export async function tail(server: Server, lines = 20): Promise<string> {
  const text = await readFile(server.log, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** A port free right now on 127.0.0.1, for servers that need one named on their command line. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
