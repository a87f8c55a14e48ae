// One synchronous run under V8's sampling profiler (node:inspector, the profiler behind
// `node --cpu-prof`), for a benchmark to keep the profile of just the part it measures.
import { Session } from "node:inspector/promises";
import type { Profiler } from "node:inspector";

/** Runs `body` while sampling every `intervalMicros`; its result and the profile. */
export async function profileRun<T>(
  body: () => T,
  intervalMicros: number,
): Promise<{ result: T; profile: Profiler.Profile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: intervalMicros });
    await session.post("Profiler.start");
    const result = body();
    const { profile } = await session.post("Profiler.stop");
    return { result, profile };
  } finally {
    session.disconnect();
  }
}
