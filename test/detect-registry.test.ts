import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DETECTORS, detectorByType } from "../src/detect/registry.js";

/** The smallest valid config of each detector (only threshold has a required key). */
const minimal = (type: string): Record<string, unknown> => (type === "threshold" ? { above: 10 } : {});

describe("detector registry", () => {
  it("has the eight built-in detectors, each under its own type", () => {
    const types = DETECTORS.map((definition) => definition.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "threshold",
        "ratio",
        "robust_z",
        "ewma",
        "poisson",
        "negative_binomial",
        "seasonal",
        "cusum",
      ]),
    );
    expect(new Set(types).size).toBe(types.length);
    for (const definition of DETECTORS) expect(detectorByType(definition.type)).toBe(definition);
    expect(detectorByType("magic")).toBeUndefined();
  });

  it.each(DETECTORS.map((definition) => [definition.type, definition] as const))(
    "%s: converts to JSON Schema with every key described",
    (_type, definition) => {
      const schema = z.toJSONSchema(definition.schema, { io: "input" }) as {
        properties: Record<string, { description?: string }>;
        additionalProperties: boolean;
      };
      expect(schema.additionalProperties).toBe(false);
      expect(definition.description.length).toBeGreaterThan(20);
      for (const [key, property] of Object.entries(schema.properties)) {
        expect(property.description, key).toMatch(/\w/);
      }
      expect(Object.keys(schema.properties)).toContain("min_count");
      for (const key of definition.thresholdKeys) expect(Object.keys(schema.properties)).toContain(key);
    },
  );

  it.each(DETECTORS.map((definition) => [definition.type, definition] as const))(
    "%s: rejects unknown keys and the type key, and fills defaults",
    (type, definition) => {
      expect(definition.schema.safeParse({ ...minimal(type), surprise: 1 }).success).toBe(false);
      expect(definition.schema.safeParse({ ...minimal(type), type }).success).toBe(false);
      const config = definition.schema.parse(minimal(type)) as Record<string, unknown>;
      expect(config.min_count).toBe(0);
      if (type !== "threshold") expect(config.zero_baseline).toBe(1);
    },
  );

  it.each(DETECTORS.map((definition) => [definition.type, definition] as const))(
    "%s: creates a detector from its defaults that never breaches without history",
    (type, definition) => {
      const config = definition.schema.parse(minimal(type));
      const detector = definition.create(config, { windowMs: 300_000 });
      const estimate = detector.evaluate(0, type === "threshold" ? 1 : 1_000);
      expect(Number.isFinite(estimate.factor)).toBe(true);
      expect(estimate.ready).toBe(type === "threshold");
      expect(detector.breaches(estimate, config)).toBe(false);
      detector.learn(0, 1, false);
    },
  );

  it("parses durations and refuses bad ones", () => {
    const poisson = detectorByType("poisson");
    expect(poisson?.schema.parse({ baseline: "1h30m" })).toMatchObject({
      baseline: 5_400_000,
      slot: 3_600_000,
    });
    const bad = poisson?.schema.safeParse({ baseline: "a week" });
    expect(bad?.success).toBe(false);
    expect(bad?.error?.issues[0]?.message).toMatch(/a baseline span such as/);
    expect(poisson?.schema.safeParse({ baseline: "0" }).success).toBe(false);
  });
});
