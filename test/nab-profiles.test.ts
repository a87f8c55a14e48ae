import { describe, expect, it } from "vitest";
import { loadNabProfiles, NAB_PROFILES, parseNabProfiles } from "../src/backtest/nab-profiles.js";

const PROFILES_FILE = new URL("../../shared/datasets/nab/profiles.json", import.meta.url);

describe("NAB profiles", () => {
  it("reads the shared profiles.json, which matches the built-in constants", async () => {
    const profiles = await loadNabProfiles(PROFILES_FILE);
    expect([...profiles.keys()]).toEqual(["standard", "reward_low_FP_rate", "reward_low_FN_rate"]);
    for (const [name, profile] of profiles) {
      expect(profile).toEqual(NAB_PROFILES[name as keyof typeof NAB_PROFILES]);
    }
  });

  it("refuses missing, negative and unknown weights, naming each", () => {
    const json = {
      a: { CostMatrix: { tpWeight: 1, fnWeight: -1, fpWeight: 0.1 } },
      b: { CostMatrix: { tpWeight: 1, fnWeight: 1, fpWeight: 0.1, tpWieght: 2 } },
      c: { tpWeight: 1 },
    };
    expect(() => parseNabProfiles(json, "p.json")).toThrow(
      [
        `p.json: "a".CostMatrix.fnWeight: expected a number >= 0, got -1`,
        `p.json: "b".CostMatrix: unknown key "tpWieght"`,
        `p.json: "c": expected { "CostMatrix": { ... } }`,
      ].join("\n"),
    );
  });
});
