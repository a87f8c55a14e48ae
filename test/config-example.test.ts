import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";

describe("examples/tocsin.yaml", () => {
  it("documents exactly the defaults, so the example never drifts from the code", async () => {
    const text = await readFile(new URL("../examples/tocsin.yaml", import.meta.url), "utf8");
    expect(parseConfig(text, "examples/tocsin.yaml", {})).toEqual(parseConfig("", "empty.yaml", {}));
  });
});
