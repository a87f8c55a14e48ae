// Property tests of rule and config loading on hostile text: arbitrary YAML-ish text and the shipped
// files with random edits. Never a crash: rules answer with issues, the config throws only the
// documented LocatedError; every issue has a message and a file:line:col inside the text.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { parseRuleTexts } from "../src/rules/load.js";
import type { LocatedIssue } from "../src/util/located-error.js";
import { LocatedError } from "../src/util/located-error.js";

// One seed per run of the suite, so CI is repeatable; FC_SEED=<n> explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });

const RUNS = { numRuns: 150 };
const TIMEOUT_MS = 15_000;

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const RULE_FILES = ["rules/negative-buzz.yaml", "rules/volume-spike.yaml", "rules/conversation.yaml"].map(
  read,
);
const CONFIG_FILES = [read("examples/tocsin.yaml"), read("examples/demo/tocsin.yaml")];
/** The secrets the example config references, so an unedited file is accepted. */
const ENV = Object.fromEntries(
  [
    "INFLUX_PASSWORD",
    "INFLUX_TOKEN",
    "PAGERDUTY_ROUTING_KEY",
    "SLACK_SIGNING_SECRET",
    "SLACK_TOKEN",
    "SMTP_PASSWORD",
  ].map((name) => [name, "secret-value"]),
);

/** Fragments that mean something to YAML, or to our schemas. */
const TOKENS = [
  ":",
  ": ",
  "- ",
  "-",
  "[",
  "]",
  "{",
  "}",
  ",",
  "#",
  "&a",
  "*a",
  "!!str ",
  "!tag ",
  "|",
  ">",
  "'",
  '"',
  "%YAML 1.2",
  "---",
  "...",
  "? ",
  "@",
  "`",
  "\\",
  "\t",
  "\n",
  "\r\n",
  "  ",
  "    ",
  "${X}",
  "${",
  "<<: *a",
  "~",
  "null",
  "true",
  "1e999",
  "-0",
  "0x1F",
  ".inf",
  "5m",
  "7d",
  "groups",
  "rules",
  "alert",
  "metric",
  "detector",
  "type",
  "threshold",
  "poisson",
  "for",
  "severity",
  "critical",
  "match",
  "by",
  "labels",
  "annotations",
  "{{ brand }}",
  "{% if %}",
  "listen",
  "storage",
  "window",
  "notifiers",
  "route",
  "receiver",
  "__proto__",
  "constructor",
  "\u0000",
  "\ufeff",
  "\u2028",
  "é",
  "🔒",
  "\ud800",
];
const yamlishArb = fc
  .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: "binary", maxLength: 8 })), { maxLength: 80 })
  .map((parts) => parts.join(""));

/** A real file with a few random edits: deletions, insertions, swapped or repeated lines, re-indents. */
function mutatedArb(files: string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({
      kind: fc.constant("delete" as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 20 }),
    }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...TOKENS) }),
    fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant("indent-line" as const),
      at: fc.nat(),
      by: fc.constantFrom(" ", "\t", "   "),
    }),
  );
  return fc
    .tuple(fc.constantFrom(...files), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([file, edits]) => {
      let text = file;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        if (e.kind === "delete") text = text.slice(0, at) + text.slice(at + e.length);
        else if (e.kind === "insert") text = text.slice(0, at) + e.text + text.slice(at);
        else {
          const lines = text.split("\n");
          const i = e.at % lines.length;
          if (e.kind === "duplicate-line") lines.splice(i, 0, lines[i] ?? "");
          else lines[i] = e.by + (lines[i] ?? "");
          text = lines.join("\n");
        }
      }
      return text;
    });
}

/** The issue names the file, says something, and points at a line and column that exist. */
function expectLocatedInside(issue: LocatedIssue, file: string, text: string): void {
  expect(issue.file).toBe(file);
  expect(issue.message.trim().length).toBeGreaterThan(0);
  const lines = text.split("\n");
  expect(Number.isInteger(issue.line) && Number.isInteger(issue.col)).toBe(true);
  expect(issue.line).toBeGreaterThanOrEqual(1);
  expect(issue.line).toBeLessThanOrEqual(lines.length);
  expect(issue.col).toBeGreaterThanOrEqual(1);
  expect(issue.col).toBeLessThanOrEqual((lines[issue.line - 1]?.length ?? 0) + 1);
}

function configIssues(text: string): LocatedIssue[] {
  try {
    parseConfig(text, "tocsin.yaml", ENV);
    return [];
  } catch (error) {
    // The documented failure, and only it: anything else is a crash.
    expect(error).toBeInstanceOf(LocatedError);
    return (error as LocatedError).issues;
  }
}

describe("rule loading on hostile text", () => {
  it("accepts the shipped rule files as they are (the mutations start from good files)", () => {
    for (const text of RULE_FILES) expect(parseRuleTexts([{ file: "r.yaml", text }]).issues).toEqual([]);
  });

  it(
    "never throws on YAML-ish text, and locates every issue inside the text",
    () => {
      fc.assert(
        fc.property(yamlishArb, (text) => {
          const { issues } = parseRuleTexts([{ file: "rules/x.yaml", text }]);
          for (const issue of issues) expectLocatedInside(issue, "rules/x.yaml", text);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "never throws on edited rule files, and locates every issue inside the file it is about",
    () => {
      fc.assert(
        fc.property(mutatedArb(RULE_FILES), mutatedArb(RULE_FILES), (a, b) => {
          const texts = [
            { file: "rules/a.yaml", text: a },
            { file: "rules/b.yaml", text: b },
          ];
          const { rules, issues } = parseRuleTexts(texts);
          for (const issue of issues) {
            const source = texts.find((t) => t.file === issue.file);
            expect(source).toBeDefined();
            expectLocatedInside(issue, issue.file, source!.text);
          }
          if (issues.length === 0) expect(rules.length).toBeGreaterThanOrEqual(0);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );
});

describe("config loading on hostile text", () => {
  it("accepts the example configs as they are (the mutations start from good files)", () => {
    for (const text of CONFIG_FILES) expect(configIssues(text)).toEqual([]);
  });

  it(
    "throws nothing but a LocatedError on YAML-ish text, every issue inside the text",
    () => {
      fc.assert(
        fc.property(yamlishArb, (text) => {
          for (const issue of configIssues(text)) expectLocatedInside(issue, "tocsin.yaml", text);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "throws nothing but a LocatedError on edited example configs, every issue inside the text",
    () => {
      fc.assert(
        fc.property(mutatedArb(CONFIG_FILES), (text) => {
          for (const issue of configIssues(text)) expectLocatedInside(issue, "tocsin.yaml", text);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it("refuses alias bombs and oversized files with a located issue instead of expanding them", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(", ")}]`,
      );
    const text = bomb.join("\n");
    for (const issue of configIssues(text)) expectLocatedInside(issue, "tocsin.yaml", text);
    expect(configIssues(text).length).toBeGreaterThan(0);
    const big = `# ${"x".repeat(5 * 1024 * 1024)}\n`;
    expect(configIssues(big)).toEqual([
      {
        file: "tocsin.yaml",
        line: 1,
        col: 1,
        message: expect.stringMatching(/^file is larger than \d+ bytes$/),
      },
    ]);
    expect(parseRuleTexts([{ file: "r.yaml", text }]).issues.length).toBeGreaterThan(0);
  });
});
