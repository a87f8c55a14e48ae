import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { configErrors } from "./helpers/config.js";

const errorsOf = configErrors;

describe("config loading", () => {
  it("has a default for everything, so an empty file is a full config", () => {
    const config = parseConfig("", "tocsin.yaml", {});
    expect(config.listen).toBe("127.0.0.1:8080");
    expect(config.window).toBe(300_000);
    expect(config.storage.retention).toBe(8 * 86_400_000);
    expect(config.ingest.body_limit).toBe(16 * 1024 * 1024);
  });

  it("reads durations and sizes as people write them", () => {
    const config = parseConfig("window: 1m\nlateness: 30s\ningest:\n  body_limit: 2MiB\n", "tocsin.yaml", {});
    expect([config.window, config.lateness, config.ingest.body_limit]).toEqual([
      60_000,
      30_000,
      2 * 1024 * 1024,
    ]);
  });

  it("reports every problem at once as file:line:col", () => {
    const text = [
      "window: 5 minutes",
      "storage:",
      "  retention: 3d",
      "  typo: true",
      "classify: { negative_below: 4 }",
    ].join("\n");
    expect(errorsOf(text)).toEqual([
      'tocsin.yaml:1:9: window: expected a window width such as 0s, 30s, 5m, 2h or 7d, got "5 minutes"',
      'tocsin.yaml:4:3: unknown key "typo" in storage',
      "tocsin.yaml:5:29: classify.negative_below: Too big: expected number to be <=1",
    ]);
  });

  it("takes secrets from ${ENV} and points at the reference when the variable is missing", () => {
    expect(parseConfig("data_dir: ${DIR}/x", "tocsin.yaml", { DIR: "/var/lib" }).data_dir).toBe("/var/lib/x");
    expect(errorsOf("data_dir: ${MISSING}")).toEqual([
      "tocsin.yaml:1:11: environment variable MISSING is not set",
    ]);
  });

  it("reports YAML syntax errors with their position", () => {
    expect(errorsOf("window: [1m\n")[0]).toMatch(/^tocsin\.yaml:\d+:\d+: /);
  });
});
