// A stable id for a rule and a label set: the same alert across evaluations, reloads and restarts.
import { createHash } from "node:crypto";
import type { Labels } from "../model/index.js";
import { keyId } from "../model/index.js";

export function fingerprint(ruleId: string, labels: Labels): string {
  return createHash("sha256")
    .update(ruleId)
    .update("\u0002")
    .update(keyId(labels))
    .digest("hex")
    .slice(0, 16);
}

/** Episode id: the fingerprint and the episode's start, so ids sort by time within an alert. */
export const episodeId = (fingerprintHex: string, activeAt: number): string =>
  `${fingerprintHex}-${Math.floor(activeAt / 1000).toString(36)}`;
