// `tocsin run` as a user runs it, for tests: a real child process on a real socket, its logs waited
// on, stopped by PID.
import { type ChildProcess, spawn } from "node:child_process";

export const ROOT = new URL("../..", import.meta.url).pathname;

export interface RunningTocsin {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  waitForLog: (pattern: RegExp) => Promise<void>;
}

export function startTocsin(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningTocsin> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "run", ...args], {
    cwd: ROOT,
    env: { ...process.env, TOCSIN_INGEST_TOKEN: "", TOCSIN_ADMIN_TOKEN: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout?.on("data", (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr?.on("data", (data: Buffer) => {
    stderr += data.toString();
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const waitForLog = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(stderr)) return resolve();
      waiters.push({ pattern, resolve });
      child.once("exit", (code) =>
        reject(new Error(`tocsin exited (${code}) before ${pattern}:\n${stderr}`)),
      );
    });
  return waitForLog(/tocsin listening on http:\/\/127\.0\.0\.1:\d+/).then(() => ({
    child,
    url: /tocsin listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1] as string,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLog,
  }));
}

export const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

/** Polls `check` until it returns true or `timeoutMs` passes; says what it waited for when it gives up. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
