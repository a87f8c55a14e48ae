import { describe, expect, it } from "vitest";
import { formatMatcher, matches, matchersSchema, parseMatcher } from "../src/alerting/matchers.js";

const labels = { brand: "kryptonite", severity: "critical", channel: "twitter" };

describe("label matchers", () => {
  it("parses the four operators with quoted and bare values", () => {
    expect(parseMatcher('brand="kryptonite"')).toMatchObject({ name: "brand", op: "=", value: "kryptonite" });
    expect(parseMatcher("brand != acme")).toMatchObject({ name: "brand", op: "!=", value: "acme" });
    expect(parseMatcher('severity=~"warning|critical"')).toMatchObject({
      op: "=~",
      value: "warning|critical",
    });
    expect(parseMatcher('channel!~"tw.*"')).toMatchObject({ op: "!~", value: "tw.*" });
    expect(parseMatcher('note="say \\"hi\\""').value).toBe('say "hi"');
  });

  it("applies each operator, regexes anchored at both ends", () => {
    const one = (text: string) => matches([parseMatcher(text)], labels);
    expect(one('brand="kryptonite"')).toBe(true);
    expect(one('brand="krypto"')).toBe(false);
    expect(one('brand!="acme"')).toBe(true);
    expect(one('severity=~"warning|critical"')).toBe(true);
    expect(one('severity=~"crit"')).toBe(false); // anchored: a substring is not enough
    expect(one('channel!~"tw.*"')).toBe(false);
    expect(one('channel!~"face.*"')).toBe(true);
  });

  it("treats a missing label as the empty string, like Alertmanager", () => {
    expect(matches([parseMatcher('team=""')], labels)).toBe(true);
    expect(matches([parseMatcher('team!=""')], labels)).toBe(false);
    expect(matches([parseMatcher('team=~".*"')], labels)).toBe(true);
  });

  it("requires every matcher to match, and no matchers match everything", () => {
    expect(matches([], labels)).toBe(true);
    expect(matches([parseMatcher('brand="kryptonite"'), parseMatcher('severity="warning"')], labels)).toBe(
      false,
    );
  });

  it("compiles the regex once at parse time", () => {
    const [m] = matchersSchema.parse(['severity=~"warning|critical"']);
    expect(m?.re).toBeInstanceOf(RegExp);
    expect(m?.re?.source).toBe("^(?:warning|critical)$");
  });

  it("accepts strings and objects in the schema and formats them back", () => {
    const parsed = matchersSchema.parse([
      'brand="kryptonite"',
      { name: "severity", op: "=~", value: "warning|critical" },
    ]);
    expect(parsed.map(formatMatcher)).toEqual(['brand="kryptonite"', 'severity=~"warning|critical"']);
  });

  it("refuses a bad regex, a bad label name and an unknown operator in the schema", () => {
    const bad = (input: unknown) => matchersSchema.safeParse([input]);
    const regex = bad('brand=~"(unclosed"');
    expect(regex.success).toBe(false);
    expect(regex.error?.issues[0]?.message).toMatch(/invalid regex "\(unclosed" for brand/);
    expect(bad({ name: "x", op: "!~", value: "[" }).success).toBe(false);
    expect(bad('1brand="x"').success).toBe(false);
    expect(bad('brand=="x"').success).toBe(false);
    expect(bad({ name: "brand", op: "~", value: "x" }).success).toBe(false);
    expect(bad({ name: "brand", op: "=", value: "x", extra: 1 }).success).toBe(false);
  });
});
