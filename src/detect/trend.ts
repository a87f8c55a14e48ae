// The trend of a series' recent windows for crisis stages: the fitted growth rate with its interval,
// whatever its sign (a falling series is a subsiding crisis), from the same Poisson fit as growth.
import type { Trend } from "../model/index.js";
import type { WindowCounts } from "./forecast.js";
import { fitGrowth } from "./forecast.js";

/** Fewer windows than this tell no trend. */
const MIN_WINDOWS = 4;

export function trendOf(series: WindowCounts): Trend | undefined {
  if (series.counts.length < MIN_WINDOWS) return undefined;
  const fit = fitGrowth(series);
  if (!fit || !Number.isFinite(fit.ratePerHour)) return undefined;
  const [low, high] = fit.rateInterval;
  return { ratePerHour: fit.ratePerHour, low, high };
}
