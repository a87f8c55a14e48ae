// The Grafana dashboards and their provisioning files are valid without a Grafana: each dashboard
// matches the fields of Grafana's dashboard JSON (schema 39) that it relies on, uids and panel ids are
// unique, every data source reference goes through the one variable that defaults to the provisioned
// uid, queries name only what the InfluxDB store writes, and the provisioning files point at this folder.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ALERT_FIELDS,
  ALERT_TAGS,
  ALERTS_MEASUREMENT,
  SCORE_FIELDS,
  SCORE_TAGS,
  SCORES_MEASUREMENT,
  SERIES_FIELDS,
  SERIES_MEASUREMENT,
} from "../src/store/influx-points.js";
import { DASHBOARDS_DIR, loadDashboards } from "./helpers/dashboard-queries.js";

const PROVISIONED_UID = "tocsin-influxdb";
const DATASOURCE_VARIABLE = "datasource";
const DATASOURCE_REF = { type: "influxdb", uid: `\${${DATASOURCE_VARIABLE}}` };
const PANEL_TYPES = ["timeseries", "table", "stat"] as const;

// ---- The Grafana dashboard fields the dashboards rely on, strictly: an unknown key is a typo. ----

const datasourceRef = z.strictObject({ type: z.literal("influxdb"), uid: z.string().min(1) });
const int = z.number().int();

const gridPos = z
  .strictObject({
    h: int.positive(),
    w: int.min(1).max(24),
    x: int.min(0).max(23),
    y: int.min(0),
  })
  .refine((pos) => pos.x + pos.w <= 24, "panel wider than the 24-column grid");

const target = z.strictObject({
  refId: z.string().regex(/^[A-Z]$/),
  datasource: datasourceRef,
  rawQuery: z.literal(true),
  resultFormat: z.enum(["time_series", "table"]),
  query: z.string().trim().min(1),
  alias: z.string().min(1).optional(),
  hide: z.boolean().optional(),
});

const override = z.strictObject({
  matcher: z.strictObject({ id: z.literal("byName"), options: z.string().min(1) }),
  properties: z.array(z.strictObject({ id: z.string().min(1), value: z.unknown() })).min(1),
});

const panel = z.strictObject({
  id: int.positive(),
  type: z.enum(PANEL_TYPES),
  title: z.string().min(1),
  description: z.string().min(1),
  datasource: datasourceRef,
  gridPos,
  targets: z.array(target).min(1),
  fieldConfig: z.strictObject({ defaults: z.record(z.string(), z.unknown()), overrides: z.array(override) }),
  options: z.record(z.string(), z.unknown()),
  transformations: z
    .array(z.strictObject({ id: z.string().min(1), options: z.record(z.string(), z.unknown()) }))
    .optional(),
  repeat: z.string().min(1).optional(),
  repeatDirection: z.enum(["h", "v"]).optional(),
  maxPerRow: int.min(1).optional(),
});

const variableCommon = {
  name: z.string().regex(/^\w+$/),
  label: z.string().min(1),
  description: z.string().min(1),
  hide: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  options: z.array(z.unknown()).length(0),
  regex: z.string(),
  skipUrlSync: z.boolean(),
};

const datasourceVariable = z.strictObject({
  ...variableCommon,
  type: z.literal("datasource"),
  query: z.literal("influxdb"),
  current: z.strictObject({ selected: z.boolean(), text: z.string(), value: z.string() }),
  includeAll: z.literal(false),
  multi: z.literal(false),
  refresh: z.literal(1),
});

const queryVariable = z
  .strictObject({
    ...variableCommon,
    type: z.literal("query"),
    datasource: datasourceRef,
    query: z.string().trim().min(1),
    definition: z.string(),
    refresh: z.union([z.literal(1), z.literal(2)]),
    sort: int.min(0).max(8),
    multi: z.boolean(),
    includeAll: z.boolean(),
    current: z.union([
      z.strictObject({}),
      z.strictObject({
        selected: z.boolean(),
        text: z.union([z.string(), z.array(z.string())]),
        value: z.union([z.string(), z.array(z.string())]),
      }),
    ]),
  })
  .refine((variable) => variable.definition === variable.query, "definition differs from query");

const annotationColumns = {
  titleColumn: z.string().min(1),
  textColumn: z.string().min(1),
  // Grafana splits on commas after removing one space: write the list without spaces.
  tagsColumn: z.string().regex(/^\w+(,\w+)*$/),
};

const annotation = z
  .strictObject({
    name: z.string().min(1),
    enable: z.boolean(),
    hide: z.boolean(),
    iconColor: z.string().min(1),
    datasource: datasourceRef,
    query: z.string().trim().min(1),
    ...annotationColumns,
    target: z.strictObject({
      refId: z.string().min(1),
      rawQuery: z.literal(true),
      resultFormat: z.literal("table"),
      query: z.string(),
      ...annotationColumns,
    }),
  })
  // Older Grafana reads the top-level fields, newer ones the target: both must say the same.
  .refine(
    ({ target, query, titleColumn, textColumn, tagsColumn }) =>
      target.query === query &&
      target.titleColumn === titleColumn &&
      target.textColumn === textColumn &&
      target.tagsColumn === tagsColumn,
    "annotation target differs from its top-level query and columns",
  );

const link = z.strictObject({
  title: z.string().min(1),
  type: z.enum(["dashboards", "link"]),
  tags: z.array(z.string()),
  asDropdown: z.boolean(),
  includeVars: z.boolean(),
  keepTime: z.boolean(),
  targetBlank: z.boolean(),
  icon: z.string(),
  tooltip: z.string(),
  url: z.string(),
});

const dashboardSchema = z.strictObject({
  uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
  title: z.string().min(1),
  description: z.string().min(1),
  tags: z.array(z.string()).min(1),
  schemaVersion: int.min(39),
  version: int.positive(),
  // Provisioned dashboards get their id from Grafana's database.
  id: z.null(),
  editable: z.boolean(),
  fiscalYearStartMonth: int.min(0).max(11),
  graphTooltip: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  links: z.array(link),
  refresh: z.string(),
  time: z.strictObject({ from: z.string().min(1), to: z.string().min(1) }),
  timepicker: z.record(z.string(), z.unknown()),
  timezone: z.string(),
  weekStart: z.string(),
  panels: z.array(panel).min(1),
  templating: z.strictObject({ list: z.array(z.union([datasourceVariable, queryVariable])) }),
  annotations: z.strictObject({ list: z.array(annotation).min(1) }),
});

type Dashboard = z.infer<typeof dashboardSchema>;
type Panel = z.infer<typeof panel>;

// ---- The provisioning files, as Grafana reads them. ----

const datasourceProvisioning = z.strictObject({
  apiVersion: z.literal(1),
  datasources: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        uid: z.string().min(1),
        type: z.literal("influxdb"),
        access: z.literal("proxy"),
        url: z.string().min(1),
        basicAuth: z.boolean(),
        user: z.string(),
        secureJsonData: z.strictObject({ password: z.string() }),
        jsonData: z.strictObject({
          version: z.literal("InfluxQL"),
          dbName: z.string().min(1),
          httpMode: z.enum(["GET", "POST"]),
          timeInterval: z.string().regex(/^\d+[smhd]$/),
        }),
        editable: z.boolean(),
      }),
    )
    .length(1),
});

const dashboardProvisioning = z.strictObject({
  apiVersion: z.literal(1),
  providers: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        orgId: int.positive(),
        type: z.literal("file"),
        folder: z.string().min(1),
        folderUid: z.string().min(1),
        allowUiUpdates: z.boolean(),
        disableDeletion: z.boolean(),
        updateIntervalSeconds: int.positive(),
        options: z.strictObject({ path: z.string().min(1), foldersFromFilesStructure: z.boolean() }),
      }),
    )
    .length(1),
});

/** Grafana's env interpolation in provisioning files: $NAME or ${NAME}, unset → empty. */
const expandEnv = (value: string, env: Record<string, string>): string =>
  value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced, plain) => env[(braced ?? plain) as string] ?? "");

/** Names of the environment variables the string values of a parsed YAML document refer to. */
function envNames(value: unknown): string[] {
  if (typeof value === "string")
    return [...value.matchAll(/\$\{(\w+)\}|\$(\w+)/g)].map((m) => (m[1] ?? m[2])!);
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(envNames);
}

async function readProvisioning(kind: "datasources" | "dashboards") {
  const path = join(DASHBOARDS_DIR, "provisioning", kind, "tocsin.yaml");
  return { data: parseYaml(await readFile(path, "utf8")) as unknown };
}

// ---- What the InfluxDB store writes (src/store/influx-points.ts): the names queries may use. ----

const SERIES_LABELS = ["brand", "channel"];
const MEASUREMENTS: Record<string, readonly string[]> = {
  [SERIES_MEASUREMENT]: [...SERIES_LABELS, ...SERIES_FIELDS],
  [SCORES_MEASUREMENT]: [...SCORE_TAGS, ...SERIES_LABELS, ...SCORE_FIELDS],
  [ALERTS_MEASUREMENT]: [...ALERT_TAGS, ...ALERT_FIELDS],
};

/** Quoted identifiers a query reads, its measurement, and the names it gives with AS. */
function identifiers(query: string) {
  const aliases = [...query.matchAll(/\bAS\s+"([^"]+)"/gi)].map((match) => match[1]!);
  const withoutAliases = query.replace(/\bAS\s+"[^"]+"/gi, "");
  const measurements = [...withoutAliases.matchAll(/\bFROM\s+"([^"]+)"/gi)].map((match) => match[1]!);
  const names = [...withoutAliases.replace(/\bFROM\s+"[^"]+"/gi, "").matchAll(/"([^"]+)"/g)].map(
    (match) => match[1]!,
  );
  return { aliases, measurements, names };
}

function allQueries(dashboard: Dashboard): { where: string; query: string }[] {
  return [
    ...dashboard.templating.list.flatMap((variable) =>
      variable.type === "query" ? [{ where: `variable ${variable.name}`, query: variable.query }] : [],
    ),
    ...dashboard.panels.flatMap((one) =>
      one.targets.map((t) => ({ where: `panel ${one.id} ${t.refId}`, query: t.query })),
    ),
    ...dashboard.annotations.list.map((one) => ({ where: `annotation ${one.name}`, query: one.query })),
  ];
}

/** Every object with a `datasource` key, anywhere in the JSON, with its path. */
function datasourceRefs(value: unknown, path = "$"): { path: string; ref: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => datasourceRefs(item, `${path}[${index}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "datasource"
      ? [{ path: `${path}.${key}`, ref: child }, ...datasourceRefs(child, `${path}.${key}`)]
      : datasourceRefs(child, `${path}.${key}`),
  );
}

const MACROS = ["timeFilter", "__interval", "__interval_ms", "__from", "__to"];
const variableUses = (text: string): string[] =>
  [...text.matchAll(/\$(\w+)|\$\{(\w+)(?::[^}]+)?\}|\[\[(\w+)(?::\w+)?\]\]/g)]
    .map((match) => (match[1] ?? match[2] ?? match[3])!)
    .filter((name) => !MACROS.includes(name) && !name.startsWith("__"));

const files = await loadDashboards();
const parsed = files.map(({ file, dashboard }) => ({ file, result: dashboardSchema.safeParse(dashboard) }));
// The other checks look at the dashboards that parse; the first test fails for the others.
const dashboards = parsed.flatMap(({ file, result }) =>
  result.success ? [{ file, dashboard: result.data }] : [],
);

describe("Grafana dashboards", () => {
  it("match the Grafana dashboard fields they rely on", () => {
    expect(files.map(({ file }) => file)).toEqual(["tocsin-brand.json", "tocsin-overview.json"]);
    for (const { file, result } of parsed)
      expect(result.success ? [] : result.error.issues, file).toEqual([]);
  });

  it("have uids and titles unique across files", () => {
    const uids = dashboards.map(({ dashboard }) => dashboard.uid);
    const titles = dashboards.map(({ dashboard }) => dashboard.title);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it("have panel ids unique within a dashboard and panels that do not overlap", () => {
    for (const { file, dashboard } of dashboards) {
      const ids = dashboard.panels.map((one) => one.id);
      expect(new Set(ids).size, file).toBe(ids.length);
      // A panel repeated horizontally fills its rows with copies: it takes the full width.
      const box = (one: Panel) =>
        one.repeat && one.repeatDirection === "h" ? { ...one.gridPos, x: 0, w: 24 } : one.gridPos;
      for (const [index, a] of dashboard.panels.entries())
        for (const b of dashboard.panels.slice(index + 1)) {
          const [p, q] = [box(a), box(b)];
          const overlap = p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
          expect(overlap, `${file}: panels ${a.id} and ${b.id} overlap`).toBe(false);
        }
    }
  });

  it("reach InfluxDB only through the datasource variable, which defaults to the provisioned uid", () => {
    for (const { file, dashboard } of dashboards) {
      for (const { path, ref } of datasourceRefs(dashboard))
        expect(ref, `${file} ${path}`).toEqual(DATASOURCE_REF);
      const variable = dashboard.templating.list.find((one) => one.name === DATASOURCE_VARIABLE);
      expect(variable?.type, file).toBe("datasource");
      expect(variable?.current.value, file).toBe(PROVISIONED_UID);
    }
  });

  it("define every variable they use, before any variable query that uses it", () => {
    for (const { file, dashboard } of dashboards) {
      const names = dashboard.templating.list.map((variable) => variable.name);
      expect(new Set(names).size, file).toBe(names.length);
      dashboard.templating.list.forEach((variable, index) => {
        if (variable.type !== "query") return;
        for (const used of variableUses(variable.query))
          expect(names.slice(0, index), `${file}: variable ${variable.name} uses $${used}`).toContain(used);
        if (variable.includeAll || variable.multi)
          expect(variable.current, `${file}: ${variable.name} starts on All`).toMatchObject({
            value: ["$__all"],
          });
      });
      const texts = [
        ...allQueries(dashboard).map(({ query }) => query),
        ...dashboard.panels.flatMap((one) => [one.title, one.repeat ? `$${one.repeat}` : ""]),
      ];
      for (const used of texts.flatMap(variableUses)) expect(names, `${file} uses $${used}`).toContain(used);
      for (const one of dashboard.panels.filter((p) => p.repeat)) {
        const variable = dashboard.templating.list.find((v) => v.name === one.repeat);
        expect(variable?.type === "query" && variable.multi, `${file}: panel ${one.id} repeat`).toBe(true);
      }
    }
  });

  it("query InfluxQL over the dashboard's time range, at Grafana's interval", () => {
    for (const { file, dashboard } of dashboards) {
      for (const one of dashboard.panels)
        for (const { query, refId } of one.targets) {
          const where = `${file} panel ${one.id} ${refId}: ${query}`;
          expect(query, where).toMatch(/^SELECT /);
          expect(query, where).toContain("$timeFilter");
          const grouping = /GROUP BY time\(([^)]*)\)/.exec(query);
          if (grouping) expect(grouping[1], where).toBe("$__interval");
          if (one.type === "table") expect(one.targets[0]!.resultFormat, where).toBe("table");
        }
      for (const variable of dashboard.templating.list)
        if (variable.type === "query")
          expect(variable.query, `${file} ${variable.name}`).toMatch(/^SHOW TAG VALUES /);
    }
  });

  it("name only measurements, tags and fields that the InfluxDB store writes", () => {
    for (const { file, dashboard } of dashboards)
      for (const { where, query } of allQueries(dashboard)) {
        const { measurements, names } = identifiers(query);
        expect(measurements.length, `${file} ${where}: one measurement`).toBe(1);
        const known = MEASUREMENTS[measurements[0]!];
        expect(known, `${file} ${where}: measurement ${measurements[0]}`).toBeDefined();
        for (const name of names) expect(known, `${file} ${where}: "${name}"`).toContain(name);
      }
  });

  it("name series and columns that their queries produce, in aliases, overrides and links", () => {
    for (const { file, dashboard } of dashboards) {
      for (const one of dashboard.panels) {
        const produced = new Set<string>();
        for (const t of one.targets) {
          const { aliases, names } = identifiers(t.query);
          for (const name of [...aliases, ...names]) produced.add(name);
          for (const [, tag] of (t.alias ?? "").matchAll(/\$tag_(\w+)/g))
            expect(t.query, `${file} panel ${one.id} alias groups by ${tag}`).toMatch(
              new RegExp(`GROUP BY .*"${tag}"`),
            );
        }
        for (const { matcher, properties } of one.fieldConfig.overrides) {
          expect([...produced], `${file} panel ${one.id} override`).toContain(matcher.options);
          for (const property of properties.filter((p) => p.id === "custom.fillBelowTo"))
            expect([...produced], `${file} panel ${one.id} fillBelowTo`).toContain(property.value);
        }
      }
      const uids = dashboards.map(({ dashboard: other }) => other.uid);
      for (const [, uid] of JSON.stringify(dashboard).matchAll(/\/d\/([\w-]+)\//g))
        expect(uids, `${file} links to /d/${uid}`).toContain(uid);
    }
  });

  it("annotate alerts from tocsin_alerts with title, text and tag columns their query selects", () => {
    for (const { file, dashboard } of dashboards)
      for (const one of dashboard.annotations.list) {
        const where = `${file} annotation ${one.name}`;
        expect(one.query, where).toMatch(/FROM "tocsin_alerts"/);
        expect(one.query, where).toContain("$timeFilter");
        const selected = identifiers(/^SELECT (.*?) FROM /.exec(one.query)?.[1] ?? "").names;
        for (const column of [one.titleColumn, one.textColumn, ...one.tagsColumn.split(",")])
          expect(selected, `${where}: ${column}`).toContain(column);
      }
  });
});

describe("Grafana provisioning", () => {
  it("provisions an InfluxQL data source with the uid the dashboards default to, from the environment", async () => {
    const { data } = await readProvisioning("datasources");
    const [source] = datasourceProvisioning.parse(data).datasources;
    expect(source!.uid).toBe(PROVISIONED_UID);
    expect(source!.url).toBe("${TOCSIN_INFLUX_URL}");
    expect(source!.jsonData.dbName).toBe("${TOCSIN_INFLUX_DATABASE}");
  });

  it("loads dashboards from a path that resolves to this folder, as the README sets it", async () => {
    const { data } = await readProvisioning("dashboards");
    const [provider] = dashboardProvisioning.parse(data).providers;
    // The README runs Grafana with TOCSIN_DASHBOARDS_DIR="$PWD/dashboards" from the repository root.
    const path = expandEnv(provider!.options.path, { TOCSIN_DASHBOARDS_DIR: DASHBOARDS_DIR });
    expect(path.startsWith("/")).toBe(true);
    const found = await loadDashboards(path);
    expect(found.map(({ dashboard }) => dashboard.uid).sort()).toEqual(
      dashboards.map(({ dashboard }) => dashboard.uid).sort(),
    );
  });

  it("documents every environment variable the provisioning files read", async () => {
    const readme = await readFile(join(DASHBOARDS_DIR, "README.md"), "utf8");
    const used = [
      ...envNames((await readProvisioning("datasources")).data),
      ...envNames((await readProvisioning("dashboards")).data),
    ];
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(readme, name).toContain(name);
  });
});
