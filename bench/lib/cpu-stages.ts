// Where the pipeline's CPU goes, stage by stage: one run under V8's sampling profiler (node:inspector,
// the same profiler as `node --cpu-prof`), each sample given to the stage of the innermost engine
// frame on its stack, so that a regular expression or a builtin counts for the engine code that called
// it. This is the profile behind a missed pipeline target, measured in the same run as the figure.
import type { Profiler } from "node:inspector";
import { profileRun } from "./cpu-profile.js";

/** A stage and how a frame is recognised as part of it (a path under the repository, or a name). */
interface StageRule {
  stage: string;
  matches: (url: string, name: string) => boolean;
}

const under =
  (...paths: string[]) =>
  (url: string) =>
    paths.some((path) => url.includes(path));

/** First match wins; a frame matching none is looked through to its caller. */
const RULES: StageRule[] = [
  { stage: "garbage collection", matches: (_, name) => name === "(garbage collector)" },
  {
    stage: "JSON.parse and line split",
    matches: (url) => url.includes("/ingest/parse-batch.") || url === "node:buffer",
  },
  { stage: "validation", matches: under("/ingest/mention-schema.", "/util/iso-instant.") },
  { stage: "duplicate filter", matches: under("/ingest/duplicate-filter.") },
  { stage: "classification", matches: under("/src/classify/") },
  {
    stage: "evidence: terms (tokenise, count)",
    matches: (url, name) =>
      url.includes("/aggregate/terms.") ||
      url.includes("/aggregate/term-table.") ||
      (url.includes("/aggregate/key-tally.") && ["count", "settle"].includes(name)),
  },
  { stage: "evidence: posts, voices", matches: under("/aggregate/evidence-store.", "/aggregate/key-tally.") },
  {
    stage: "responsiveness (reply tracking)",
    matches: under(
      "/aggregate/response-tracker.",
      "/aggregate/time-queue.",
      "/aggregate/sorted-delays.",
      "/simple-statistics/",
    ),
  },
  {
    stage: "windows (counts per key)",
    matches: under(
      "/aggregate/windower.",
      "/aggregate/window-state.",
      "/aggregate/cardinality.",
      "/aggregate/feed-watch.",
    ),
  },
  { stage: "series store", matches: under("/src/store/") },
  { stage: "engine loop, metrics, other engine code", matches: under("/src/") },
];

export const OTHER_STAGE = "other (profiler, benchmark loop)";

export interface StageProfile {
  /** CPU share of each stage, largest first (shares sum to 1). */
  shares: [string, number][];
  samples: number;
}

/** Runs `run` under the sampling profiler and shares its samples out by stage. */
export async function profileStages(run: () => void, intervalMicros = 100): Promise<StageProfile> {
  const { profile } = await profileRun(run, intervalMicros);
  return shareByStage(profile);
}

function shareByStage(profile: Profiler.Profile): StageProfile {
  const parent = new Map<number, number>();
  const byId = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stageOf = new Map<number, string>();
  const stageOfNode = (id: number): string => {
    const known = stageOf.get(id);
    if (known !== undefined) return known;
    const { url, functionName } = (byId.get(id) as Profiler.ProfileNode).callFrame;
    const rule = RULES.find((candidate) => candidate.matches(url, functionName));
    const up = parent.get(id);
    const stage = rule ? rule.stage : up === undefined ? OTHER_STAGE : stageOfNode(up);
    stageOf.set(id, stage);
    return stage;
  };
  const time = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  samples.forEach((id, i) => {
    const dt = profile.timeDeltas?.[i] ?? 0;
    const stage = stageOfNode(id);
    time.set(stage, (time.get(stage) ?? 0) + dt);
    total += dt;
  });
  const shares = [...time]
    .map(([stage, t]): [string, number] => [stage, total === 0 ? 0 : t / total])
    .sort((a, b) => b[1] - a[1]);
  return { shares, samples: samples.length };
}
