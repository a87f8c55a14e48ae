// Every detector a rule may name, by `type`; the rule schema and rules/schema.json are built from this.
import { cusumDetector } from "./cusum.js";
import type { DetectorDefinition } from "./detector.js";
import { ewmaDetector } from "./ewma.js";
import { negativeBinomialDetector } from "./negative-binomial.js";
import { poissonDetector } from "./poisson.js";
import { ratioDetector } from "./ratio.js";
import { robustZDetector } from "./robust-z.js";
import { seasonalDetector } from "./seasonal.js";
import { thresholdDetector } from "./threshold.js";
import { volumeSpikeDetector } from "./volume-spike.js";

export const DETECTORS: readonly DetectorDefinition[] = [
  thresholdDetector,
  ratioDetector,
  robustZDetector,
  ewmaDetector,
  poissonDetector,
  negativeBinomialDetector,
  seasonalDetector,
  cusumDetector,
  volumeSpikeDetector,
];

const BY_TYPE = new Map(DETECTORS.map((definition) => [definition.type, definition]));

export const detectorByType = (type: string): DetectorDefinition | undefined => BY_TYPE.get(type);
