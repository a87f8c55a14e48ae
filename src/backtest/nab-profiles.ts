// NAB's application profiles (config/profiles.json): the cost weights A_TP, A_FN, A_FP of scoring.
// NAB's files also carry tnWeight, which its scorer never reads; it is accepted and dropped here.
import { NabFileError, readJson } from "./nab-labels.js";

/** The weights NAB's Sweeper reads (`setCostMatrix`). */
export interface NabCostMatrix {
  readonly tpWeight: number;
  readonly fnWeight: number;
  readonly fpWeight: number;
}

export interface NabProfile extends NabCostMatrix {
  readonly name: string;
}

export type NabProfileName = "standard" | "reward_low_FP_rate" | "reward_low_FN_rate";

/** The three profiles of NAB v1.1, as in its config/profiles.json. */
export const NAB_PROFILES: Readonly<Record<NabProfileName, NabProfile>> = {
  standard: { name: "standard", tpWeight: 1, fnWeight: 1, fpWeight: 0.11 },
  reward_low_FP_rate: { name: "reward_low_FP_rate", tpWeight: 1, fnWeight: 1, fpWeight: 0.22 },
  reward_low_FN_rate: { name: "reward_low_FN_rate", tpWeight: 1, fnWeight: 2, fpWeight: 0.11 },
};

const WEIGHTS = ["tpWeight", "fnWeight", "fpWeight"] as const;
const KNOWN = new Set<string>([...WEIGHTS, "tnWeight"]);

/** Parses profiles.json content: `{ name: { CostMatrix: { tpWeight, fnWeight, fpWeight, tnWeight } } }`. */
export function parseNabProfiles(json: unknown, file: string): ReadonlyMap<string, NabProfile> {
  if (!isObject(json)) throw new NabFileError(file, ["expected an object keyed by profile name"]);
  const issues: string[] = [];
  const out = new Map<string, NabProfile>();
  for (const [name, entry] of Object.entries(json)) {
    const matrix = isObject(entry) ? entry["CostMatrix"] : undefined;
    if (!isObject(matrix) || Object.keys(entry as object).some((key) => key !== "CostMatrix")) {
      issues.push(`"${name}": expected { "CostMatrix": { ... } }`);
      continue;
    }
    for (const key of Object.keys(matrix)) {
      if (!KNOWN.has(key)) issues.push(`"${name}".CostMatrix: unknown key "${key}"`);
    }
    const weights: Record<string, number> = {};
    for (const key of [...WEIGHTS, "tnWeight"]) {
      const value = matrix[key];
      if (value === undefined && key === "tnWeight") continue;
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        issues.push(`"${name}".CostMatrix.${key}: expected a number >= 0, got ${JSON.stringify(value)}`);
      } else {
        weights[key] = value;
      }
    }
    const [tpWeight, fnWeight, fpWeight] = WEIGHTS.map((key) => weights[key]);
    if (tpWeight !== undefined && fnWeight !== undefined && fpWeight !== undefined) {
      out.set(name, { name, tpWeight, fnWeight, fpWeight });
    }
  }
  if (issues.length > 0) throw new NabFileError(file, issues);
  return out;
}

/** Reads and parses a profiles.json. */
export async function loadNabProfiles(path: string | URL): Promise<ReadonlyMap<string, NabProfile>> {
  const [file, json] = await readJson(path);
  return parseNabProfiles(json, file);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
