// Every InfluxQL query of the Grafana dashboards in dashboards/ (panel targets, template variables,
// annotations), with Grafana's macros and variables substituted the way its InfluxDB data source does,
// run against a real InfluxDB /query endpoint: did each return data?
// Sources: Grafana's InfluxQL time filter and interval macros (public/app/plugins/datasource/influxdb,
// pkg/tsdb/influxdb/influxql), and `interpolateQueryExpr`, which regex-escapes multi-value and "All"
// variables and joins them as (a|b) so that `=~ /^$var$/` matches any of them.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The parts of Grafana's dashboard JSON these queries come from (the full shape is checked elsewhere). */
export interface DashboardJson {
  uid: string;
  title: string;
  panels: PanelJson[];
  templating: { list: VariableJson[] };
  annotations: { list: AnnotationJson[] };
}

export interface PanelJson {
  id: number;
  title: string;
  type: string;
  repeat?: string;
  targets?: { refId: string; query: string; hide?: boolean }[];
}

export interface VariableJson {
  name: string;
  type: string;
  query?: string | { query: string };
  regex?: string;
  multi?: boolean;
  includeAll?: boolean;
  current?: { value?: string | string[] };
}

export interface AnnotationJson {
  name: string;
  datasource?: { type?: string };
  query?: string;
  target?: { query?: string };
}

export interface DashboardFile {
  file: string;
  dashboard: DashboardJson;
}

export const DASHBOARDS_DIR = new URL("../../dashboards/", import.meta.url).pathname;

/** Every dashboards/*.json, parsed. */
export async function loadDashboards(dir = DASHBOARDS_DIR): Promise<DashboardFile[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      dashboard: JSON.parse(await readFile(join(dir, file), "utf8")) as DashboardJson,
    })),
  );
}

export interface QueryContext {
  /** The dashboard's time range, epoch ms. */
  from: number;
  to: number;
  /** What Grafana computes for $__interval from the range and the panel width, e.g. "10m". */
  interval: string;
  /** Values picked for variables, by name; the others take their dashboard default. */
  variables?: Record<string, string[]>;
}

/** A variable with the values picked for it. */
export interface Bound {
  variable: VariableJson;
  values: string[];
}

const DURATION_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function intervalMs(interval: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(interval);
  if (!match) throw new Error(`not a Grafana interval: ${interval}`);
  return Number(match[1]) * DURATION_MS[match[2]!]!;
}

/** Grafana's escapeRegex: InfluxQL regexes are written between slashes, so "/" is escaped too. */
const escapeRegex = (value: string): string => value.replace(/[\\^$*+?.()|[\]{}/]/g, "\\$&");

/** A variable's value as the InfluxDB data source formats it (interpolateQueryExpr). */
function formatVariable(bound: Bound, format: string | undefined, inRegex: boolean): string {
  const { variable, values } = bound;
  if (format === "raw") return values.join(",");
  const regex = format === "regex" || variable.multi || variable.includeAll || inRegex;
  if (!regex) return values.join(",");
  const escaped = values.map(escapeRegex);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join("|")})`;
}

// Grafana's variable syntaxes: $name, [[name]] or [[name:format]], ${name} or ${name:format}.
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

/** Where the regex literals of `=~ /…/` and `!~ /…/` comparisons lie in a query: [start, end) offsets. */
function regexSpans(query: string): [number, number][] {
  return [...query.matchAll(/[=!]~\s*\/(?:[^/\\\n]|\\.)*\//g)].map((match) => [
    match.index,
    match.index + match[0].length,
  ]);
}

/** A query as Grafana sends it to InfluxDB: its macros ($timeFilter, $__interval…), then variables. */
export function interpolate(query: string, context: QueryContext, bound: Map<string, Bound>): string {
  const macros: Record<string, string> = {
    timeFilter: `time >= ${context.from}ms and time <= ${context.to}ms`,
    __timeFilter: `time >= ${context.from}ms and time <= ${context.to}ms`,
    __interval: context.interval,
    interval: context.interval,
    __interval_ms: String(intervalMs(context.interval)),
    __from: String(context.from),
    __to: String(context.to),
  };
  return query.replace(VARIABLE, (whole, plain, bracket, bracketFormat, brace, braceFormat, offset, text) => {
    const name = (plain ?? bracket ?? brace) as string;
    const macro = macros[name];
    if (macro !== undefined) return macro;
    const variable = bound.get(name);
    if (!variable) return whole;
    const inRegex = regexSpans(text as string).some(([start, end]) => offset > start && offset < end);
    return formatVariable(variable, (bracketFormat ?? braceFormat) as string | undefined, inRegex);
  });
}

export interface QueryOutcome {
  dashboard: string;
  /** Where the query comes from, e.g. `panel 5 "Negative share by brand" target A (brand=velora)`. */
  source: string;
  /** The query as sent, after substitution. */
  query: string;
  /** Series with at least one row. */
  series: number;
  rows: number;
  /** Columns with no value in any row: a field the query names but InfluxDB does not have. */
  emptyColumns: string[];
  error?: string;
  /** No error, at least one non-empty series, and a value in every column. */
  ok: boolean;
}

interface InfluxResponse {
  error?: string;
  results?: {
    error?: string;
    series?: { name: string; columns: string[]; values?: unknown[][] }[];
  }[];
}

/** POST /query (form-encoded, as Grafana's data source does with httpMode POST), epoch ms. */
export async function influxQuery(url: string, database: string, query: string): Promise<InfluxResponse> {
  const response = await fetch(`${url}/query`, {
    method: "POST",
    body: new URLSearchParams({ db: database, q: query, epoch: "ms" }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as InfluxResponse;
  } catch {
    return { error: `HTTP ${response.status}: ${text.slice(0, 200)}` };
  }
}

async function run(
  target: { url: string; database: string },
  dashboard: string,
  source: string,
  query: string,
): Promise<QueryOutcome & { response: InfluxResponse }> {
  const response = await influxQuery(target.url, target.database, query);
  const error = response.error ?? response.results?.find((result) => result.error)?.error;
  const series = (response.results ?? []).flatMap((result) => result.series ?? []);
  const filled = series.filter((one) => (one.values?.length ?? 0) > 0);
  const rows = filled.reduce((sum, one) => sum + one.values!.length, 0);
  const columns = new Set(filled.flatMap((one) => one.columns));
  for (const one of filled)
    one.columns.forEach((column, index) => {
      if (one.values!.some((row) => row[index] !== null && row[index] !== undefined)) columns.delete(column);
    });
  const emptyColumns = [...columns];
  return {
    dashboard,
    source,
    query,
    series: filled.length,
    rows,
    emptyColumns,
    ...(error ? { error } : {}),
    ok: !error && filled.length > 0 && emptyColumns.length === 0,
    response,
  };
}

/** The values a variable query returned: the `value` column (SHOW TAG VALUES) or the first one. */
function variableOptions(response: InfluxResponse, regex: string | undefined): string[] {
  const values = new Set<string>();
  for (const series of (response.results ?? []).flatMap((result) => result.series ?? [])) {
    const column = Math.max(series.columns.indexOf("value"), 0);
    for (const row of series.values ?? []) values.add(String(row[column]));
  }
  let options = [...values].sort();
  if (regex) {
    const match = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
    const pattern = match ? new RegExp(match[1]!, match[2]) : new RegExp(regex);
    options = options.filter((option) => pattern.test(option));
  }
  return options;
}

/** Grafana's choice on load: the picked values, else "All", else the saved value if offered, else the first. */
function choose(variable: VariableJson, options: string[], picked: string[] | undefined): string[] {
  if (picked) return picked;
  const current = variable.current?.value;
  const saved = current === undefined ? [] : Array.isArray(current) ? current : [current];
  if (saved.includes("$__all") && variable.includeAll) return options;
  const kept = saved.filter((value) => options.includes(value));
  if (kept.length > 0) return variable.multi ? kept : kept.slice(0, 1);
  return options.slice(0, 1);
}

/**
 * Runs every query of one dashboard: its template variables in order (each one's values feed the
 * next), then each panel's targets (a repeated panel once per value of its variable), then its
 * InfluxDB annotations.
 */
export async function runDashboardQueries(
  dashboard: DashboardJson,
  target: { url: string; database: string },
  context: QueryContext,
): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  const bound = new Map<string, Bound>();
  const name = dashboard.uid;

  for (const variable of dashboard.templating.list) {
    if (variable.type === "datasource") continue;
    if (variable.type !== "query")
      throw new Error(`${name}: variable type ${variable.type} not handled here`);
    const template = typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
    const { response, ...outcome } = await run(
      target,
      name,
      `variable ${variable.name}`,
      interpolate(template, context, bound),
    );
    outcomes.push(outcome);
    const options = variableOptions(response, variable.regex);
    bound.set(variable.name, {
      variable,
      values: choose(variable, options, context.variables?.[variable.name]),
    });
  }

  for (const panel of dashboard.panels) {
    const repeat = panel.repeat ? bound.get(panel.repeat) : undefined;
    if (panel.repeat && !repeat)
      throw new Error(`${name}: panel ${panel.id} repeats unknown $${panel.repeat}`);
    const scopes = repeat
      ? repeat.values.map((value) => ({ label: ` (${panel.repeat}=${value})`, value }))
      : [{ label: "", value: undefined }];
    for (const scope of scopes) {
      const scoped = new Map(bound);
      if (repeat && scope.value !== undefined)
        scoped.set(panel.repeat!, { variable: repeat.variable, values: [scope.value] });
      for (const query of panel.targets ?? []) {
        if (query.hide) continue;
        const source = `panel ${panel.id} "${panel.title}" target ${query.refId}${scope.label}`;
        const { response: _, ...outcome } = await run(
          target,
          name,
          source,
          interpolate(query.query, context, scoped),
        );
        outcomes.push(outcome);
      }
    }
  }

  for (const annotation of dashboard.annotations.list) {
    if (annotation.datasource?.type !== "influxdb") continue;
    const template = annotation.query ?? annotation.target?.query ?? "";
    const { response: _, ...outcome } = await run(
      target,
      name,
      `annotation "${annotation.name}"`,
      interpolate(template, context, bound),
    );
    outcomes.push(outcome);
  }
  return outcomes;
}

function failure(outcome: QueryOutcome): string {
  if (outcome.error) return outcome.error;
  if (outcome.series === 0) return "no data";
  return `no value in column ${outcome.emptyColumns.join(", ")}`;
}

/** One line per failed query, with the query text, for an assertion message. */
export function describeFailures(outcomes: QueryOutcome[]): string[] {
  return outcomes
    .filter((outcome) => !outcome.ok)
    .map((outcome) => `${outcome.dashboard} ${outcome.source}: ${failure(outcome)}\n    ${outcome.query}`);
}
