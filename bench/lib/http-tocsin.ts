// `tocsin run` in a child process for bench/http-ingest.ts, as test/helpers/tocsin-process.ts starts
// it, plus node flags of our own (--cpu-prof is refused in NODE_OPTIONS, so it must be an argument).
import { type ChildProcess, spawn } from "node:child_process";
import { nodeScript, ROOT } from "./node-script.js";

export interface TocsinProcess {
  child: ChildProcess;
  url: string;
}

export function startTocsinWith(nodeFlags: string[], args: string[]): Promise<TocsinProcess> {
  const child = spawn(process.execPath, [...nodeFlags, ...nodeScript("src/cli/main"), "run", ...args], {
    cwd: ROOT,
    env: { ...process.env, TOCSIN_INGEST_TOKEN: "", TOCSIN_ADMIN_TOKEN: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  let listening = false;
  return new Promise((resolve, reject) => {
    child.stderr?.on("data", (data: Buffer) => {
      if (listening) return;
      stderr += data.toString();
      const match = /tocsin listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (!match) return;
      listening = true;
      resolve({ child, url: match[1] as string });
    });
    child.once("exit", (code) => reject(new Error(`tocsin exited (${code}) before listening:\n${stderr}`)));
  });
}
