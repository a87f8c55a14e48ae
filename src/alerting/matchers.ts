// Label matchers as Alertmanager writes them (`brand="kryptonite"`, `severity=~"warning|critical"`),
// used by routes, silences and inhibition rules. Regexes are anchored and compiled once, at parse time.
// Semantics follow Alertmanager's pkg/labels/matcher.go: a missing label matches as the empty string.
import { z } from "zod";
import type { Alert, Labels } from "../model/index.js";

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  /** The anchored regex of =~ and !~, compiled once. */
  readonly re?: RegExp;
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// name, operator, then a double-quoted value (JSON escapes) or a bare one; spaces allowed around the operator.
const MATCHER_TEXT = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

/** Builds a matcher; throws a readable error on a bad label name or regex. */
export function matcher(name: string, op: MatchOp, value: string): Matcher {
  if (!LABEL_NAME.test(name)) throw new Error(`invalid label name ${JSON.stringify(name)}`);
  if (op === "=" || op === "!=") return { name, op, value };
  let re: RegExp;
  try {
    // Anchored like Prometheus: the regex must match the whole value.
    re = new RegExp(`^(?:${value})$`, "u");
  } catch (error) {
    throw new Error(`invalid regex ${JSON.stringify(value)} for ${name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { name, op, value, re };
}

/** Parses `name="value"`, `name!=value`, `name=~"a|b"`, `name!~"x.*"`. */
export function parseMatcher(text: string): Matcher {
  const found = MATCHER_TEXT.exec(text);
  if (!found) throw new Error(`expected a matcher such as brand="kryptonite", got ${JSON.stringify(text)}`);
  const [, name, op, quoted, bare] = found;
  const value = quoted === undefined ? (bare ?? "") : (JSON.parse(`"${quoted}"`) as string);
  return matcher(name as string, op as MatchOp, value);
}

/** Whether one matcher accepts the labels; a missing label is the empty string. */
export function matchOne(m: Matcher, labels: Labels): boolean {
  const value = labels[m.name] ?? "";
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return (m.re as RegExp).test(value);
    case "!~":
      return !(m.re as RegExp).test(value);
  }
}

/** Whether every matcher accepts the labels (no matchers: everything matches). */
export function matches(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((m) => matchOne(m, labels));
}

/** The matcher as written in config, e.g. `severity=~"warning|critical"`. */
export const formatMatcher = (m: Matcher): string => `${m.name}${m.op}${JSON.stringify(m.value)}`;

/** Persistence form: the parts without the compiled regex. */
export const matcherJSON = (m: Matcher) => ({ name: m.name, op: m.op, value: m.value });

/**
 * The labels routes, silences and inhibition match on: the alert's labels plus `alertname`, `rule`
 * and `severity` (which win over series labels of the same name, so a series cannot pose as another).
 */
export function alertLabels(alert: Alert): Labels {
  return { ...alert.labels, alertname: alert.name, rule: alert.rule, severity: alert.severity };
}

const matcherObject = z.strictObject({
  name: z.string().regex(LABEL_NAME).describe("Label name."),
  op: z.enum(["=", "!=", "=~", "!~"]).describe("= equal, != not equal, =~ regex match, !~ regex non-match."),
  value: z.string().describe("Value, or a regex anchored at both ends for =~ and !~."),
});

/** One matcher: `brand="kryptonite"` or `{name, op, value}`; a bad regex is refused here. */
export const matcherSchema = z
  .union([z.string(), matcherObject])
  .describe('A label matcher such as brand="kryptonite" or severity=~"warning|critical".')
  .transform((input, context): Matcher => {
    try {
      return typeof input === "string" ? parseMatcher(input) : matcher(input.name, input.op, input.value);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

export const matchersSchema = z.array(matcherSchema).describe("Label matchers; all must match.");
