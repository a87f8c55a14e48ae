import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { parseRuleTexts } from "../src/rules/load.js";
import { LocatedError } from "../src/util/located-error.js";
import { MAX_YAML_BYTES, parseYamlSource } from "../src/util/yaml-source.js";

/** The classic "billion laughs": nine levels of nine aliases, 9^9 ≈ 387 million strings once expanded. */
const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ..."bcdefghi".split("").map((name, i) => {
    const previous = "abcdefghi"[i] as string;
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`;
  }),
].join("\n");

const messages = (text: string, file = "bomb.yaml") =>
  parseYamlSource(text, file).issues.map(
    ({ file: f, line, col, message }) => `${f}:${line}:${col}: ${message}`,
  );

describe("a billion laughs file", () => {
  it("is refused quickly, at the alias where it explodes, without expanding it", () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const source = parseYamlSource(BILLION_LAUGHS, "bomb.yaml");
    const elapsed = performance.now() - started;
    expect(source.data).toBeUndefined();
    expect(source.issues).toHaveLength(1);
    // Line 9 is `i: &i [*h, …]`: its first alias stands for 1 + 9 × (1 + 9 × …) nodes.
    expect(source.issues[0]).toMatchObject({ file: "bomb.yaml", line: 9, col: 8 });
    expect(source.issues[0]?.message).toMatch(/^aliases expand too much \(\*h alone stands for \d+ nodes/);
    expect(source.issues[0]?.message).toContain('"billion laughs"');
    expect(elapsed).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it("is refused as a config file and as a rule file, with file:line:col", () => {
    expect(() => parseConfig(BILLION_LAUGHS, "tocsin.yaml", {})).toThrow(LocatedError);
    expect(() => parseConfig(BILLION_LAUGHS, "tocsin.yaml", {})).toThrow(
      /tocsin\.yaml:9:8: aliases expand too much/,
    );
    const rules = parseRuleTexts([{ file: "rules/bomb.yaml", text: BILLION_LAUGHS }]);
    expect(JSON.stringify(rules)).toContain("aliases expand too much");
  });

  it("ordinary anchor reuse still loads", () => {
    const text = "defaults: &d { for: 10m, severity: warning }\none: *d\ntwo: *d\nthree: [*d, *d]\n";
    const source = parseYamlSource(text, "ok.yaml");
    expect(source.issues).toEqual([]);
    expect(source.data).toMatchObject({ three: [{ for: "10m" }, { severity: "warning" }] });
  });
});

describe("tags", () => {
  it("refuses language and custom tags with their position", () => {
    expect(messages("a: 1\nb: !!js/function 'function () { return 1 }'\n")).toEqual([
      "bomb.yaml:2:4: tag !!js/function is not allowed: write plain YAML values",
    ]);
    expect(messages("a: !foo bar\n")).toEqual([
      "bomb.yaml:1:4: tag !foo is not allowed: write plain YAML values",
    ]);
    expect(messages("a: !<tag:example.com,2026:x> y\n")).toEqual([
      "bomb.yaml:1:4: tag !<tag:example.com,2026:x> is not allowed: write plain YAML values",
    ]);
  });

  it("refuses the YAML 1.1 extras the library would otherwise build (binary, set, timestamp)", () => {
    for (const text of [
      "a: !!binary aGk=",
      "a: !!set { x }",
      "a: !!timestamp 2026-01-01",
      "a: !!python/object x",
    ])
      expect(messages(text), text).toHaveLength(1);
  });

  it("accepts the tags that only restate plain YAML", () => {
    const source = parseYamlSource("a: !!str 0123\nb: !!int 7\nc: !!map { x: !!bool true }\n", "ok.yaml");
    expect(source.issues).toEqual([]);
    expect(source.data).toEqual({ a: "0123", b: 7, c: { x: true } });
  });
});

describe("size", () => {
  it("refuses a file over 1 MiB before parsing it", () => {
    const big = `a: "${"x".repeat(MAX_YAML_BYTES)}"\n`;
    expect(messages(big, "big.yaml")).toEqual([`big.yaml:1:1: file is larger than ${MAX_YAML_BYTES} bytes`]);
    expect(() => parseConfig(big, "tocsin.yaml", {})).toThrow(/file is larger than 1048576 bytes/);
  });

  it("refuses a pathologically deep nesting without crashing", () => {
    const deep = `a: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    const source = parseYamlSource(deep, "deep.yaml");
    expect(source.issues.length).toBeGreaterThan(0);
    expect(source.data).toBeUndefined();
  });
});
