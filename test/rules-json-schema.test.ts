import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DETECTORS } from "../src/detect/registry.js";
import { ruleJsonSchemaText } from "../src/rules/json-schema.js";

describe("rules/schema.json", () => {
  it("is current with the code (regenerate with: npm run schema)", async () => {
    const committed = await readFile(new URL("../rules/schema.json", import.meta.url), "utf8");
    expect(committed).toBe(ruleJsonSchemaText());
  });

  it("offers every registered detector type to editors", () => {
    const text = ruleJsonSchemaText();
    for (const { type } of DETECTORS) expect(text).toContain(`"const": "${type}"`);
  });
});
