// Which series a rule watches: its label matches, and `by`, which names the labels of one alerting
// series. Aggregated series carry brand and channel; the brand's total has channel "all", so
// `by: [brand]` watches the totals and `by: [brand, channel]` each channel.
import type { Labels } from "../model/index.js";
import { ALL_CHANNELS, matchesLabels } from "../model/index.js";
import type { CompiledRule } from "./compile.js";

export function selects(rule: CompiledRule, labels: Labels): boolean {
  if (!matchesLabels(labels, rule.match)) return false;
  const by = rule.by;
  if (!by) return true;
  for (const name of by) if (labels[name] === undefined) return false;
  for (const name in labels) {
    if (by.includes(name)) continue;
    // A label outside `by` is only allowed as the "all channels" total.
    if (!(name === "channel" && labels[name] === ALL_CHANNELS)) return false;
  }
  return true;
}
