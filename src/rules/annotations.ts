// Annotation templates: Liquid (liquidjs) — no code execution, only variables and filters — parsed
// when rules load so a template error is a rule error with a position, rendered when an alert fires.
import type { Template } from "liquidjs";
import { Liquid } from "liquidjs";
import type { Alert } from "../model/index.js";

const liquid = new Liquid({ strictFilters: true, strictVariables: false, ownPropertyOnly: true });

export type CompiledTemplate = Template[];

/** Parses a template; throws an Error whose message says what is wrong. */
export function compileTemplate(text: string): CompiledTemplate {
  return liquid.parse(text);
}

/** Renders with the alert's variables; a render failure yields the raw text rather than no page. */
export function renderTemplate(template: CompiledTemplate, fallback: string, variables: object): string {
  try {
    return liquid.renderSync(template, variables) as string;
  } catch {
    return fallback;
  }
}

/** The variables annotation templates see: the series labels and the alert's numbers. */
export function renderAnnotations(
  annotations: Readonly<Record<string, { text: string; template: CompiledTemplate }>>,
  alert: Alert,
): Record<string, string> {
  const variables = {
    ...alert.labels,
    alert: alert.name,
    severity: alert.severity,
    value: alert.last.value,
    expected: alert.last.expected,
    factor: alert.last.factor,
    score: alert.last.score,
    p_value: alert.last.pValue,
    peak: alert.peak.value,
    state: alert.state,
  };
  const rendered: Record<string, string> = {};
  for (const [name, { text, template }] of Object.entries(annotations)) {
    rendered[name] = renderTemplate(template, text, variables);
  }
  return rendered;
}
