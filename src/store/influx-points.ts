// What Tocsin writes to InfluxDB, as line protocol: the measurement, tag and field names below are a
// contract with the Grafana dashboards (dashboards/, InfluxQL) — extend them, never rename them.
// Lines are built with the client's Point, which escapes measurement, tags and string fields.
import { Point } from "@influxdata/influxdb-client";
import type { Alert, ClosedWindow, Labels } from "../model/index.js";
import { METRICS } from "../model/index.js";
import type { AlertRecord, ScoreRecord } from "./series-store.js";

/** One point per series key and closed window; tags: the series labels; fields: every metric. */
export const SERIES_MEASUREMENT = "tocsin_series";
/** One point per rule reading of a series and window: the dashboards' expected band and scores. */
export const SCORES_MEASUREMENT = "tocsin_scores";
/** One point per alert event: the dashboards' annotations and alert table. */
export const ALERTS_MEASUREMENT = "tocsin_alerts";

/** Field names of tocsin_series: METRICS, as floats. */
export const SERIES_FIELDS = METRICS;
/** Tags of tocsin_scores besides the series labels. */
export const SCORE_TAGS = ["rule", "alertname"] as const;
/** Fields of tocsin_scores; p_value only when the detector gives one; breach is an integer 0/1. */
export const SCORE_FIELDS = ["value", "expected", "factor", "score", "p_value", "breach"] as const;
/** Tags of tocsin_alerts; brand and channel only when the alert has those labels. */
export const ALERT_TAGS = ["rule", "alertname", "severity", "event", "brand", "channel"] as const;
/** Fields of tocsin_alerts: title and text are strings (Grafana's annotation title and text). */
export const ALERT_FIELDS = ["title", "text", "alert_id", "value", "expected", "factor"] as const;

/** The labels that identify a series (design.md §2; `series` for imported CSVs), shown in titles. */
const SERIES_LABEL_NAMES = ["brand", "channel", "series"];

/** Millisecond timestamps, matching precision=ms on every write. */
const MS = { convertTime: (value: string | number | Date | undefined) => msTime(value) };

function msTime(value: string | number | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  return String(value instanceof Date ? value.getTime() : value);
}

/**
 * InfluxDB 1.x cannot parse a tag value ending in a backslash, nor one before an escaped comma,
 * space or equals sign (measured on 1.6.7: "invalid tag format"); VictoriaMetrics and 2.x read
 * `\\` differently again. No escaping round-trips on all of them, so a backslash becomes `/`.
 */
export const tagValue = (value: string): string => value.replaceAll("\\", "/");

/** Line protocol cannot carry a raw line break in a string field on every server (VictoriaMetrics splits). */
const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ");

function withLabels(point: Point, labels: Labels): Point {
  for (const [name, value] of Object.entries(labels)) point.tag(name, tagValue(value));
  return point;
}

/** InfluxDB stores no NaN or infinity (the client throws on them): such a field is left out. */
function finite(point: Point, name: string, value: number | undefined): Point {
  return value !== undefined && Number.isFinite(value) ? point.floatField(name, value) : point;
}

const line = (point: Point): string | undefined => point.toLineProtocol(MS);

/** Every row of a closed window: one tocsin_series point per key, time = window start. */
export function seriesLines(window: ClosedWindow): string[] {
  const lines: string[] = [];
  for (const row of window.rows) {
    const point = withLabels(new Point(SERIES_MEASUREMENT), row.key).timestamp(window.start);
    SERIES_FIELDS.forEach((metric, column) => finite(point, metric, row.values[column] ?? 0));
    const text = line(point);
    if (text !== undefined) lines.push(text);
  }
  return lines;
}

/** A rule's reading of one series for one window (time = window start). */
export function scoreLine(score: ScoreRecord): string | undefined {
  // Series labels first, then rule and alertname, so a label of the same name cannot hide them.
  const point = withLabels(new Point(SCORES_MEASUREMENT), score.labels)
    .tag("rule", tagValue(score.rule))
    .tag("alertname", tagValue(score.alertname))
    .intField("breach", score.breach ? 1 : 0)
    .timestamp(score.time);
  finite(point, "value", score.value);
  finite(point, "expected", score.expected);
  finite(point, "factor", score.factor);
  finite(point, "score", score.score);
  finite(point, "p_value", score.pValue);
  return line(point);
}

/** "[CRITICAL] NegativeBuzzSpike brand=kryptonite": the annotation title. */
export function alertTitle(alert: Alert): string {
  const labels = SERIES_LABEL_NAMES.filter((name) => alert.labels[name] !== undefined).map(
    (name) => `${name}=${alert.labels[name]}`,
  );
  return [`[${alert.severity.toUpperCase()}]`, alert.name, ...labels].join(" ");
}

/** The summary annotation (or the title without one), plus who acknowledged it. */
export function alertText(record: AlertRecord): string {
  const { alert } = record;
  let text = alert.annotations.summary ?? alertTitle(alert);
  if (record.event === "acknowledged" && alert.acknowledged) {
    const { by, comment } = alert.acknowledged;
    text += ` — acknowledged by ${by}${comment ? `: ${comment}` : ""}`;
  }
  return oneLine(text);
}

/** An alert event (time = the record's time). */
export function alertLine(record: AlertRecord): string | undefined {
  const { alert } = record;
  const point = new Point(ALERTS_MEASUREMENT)
    .tag("rule", tagValue(alert.rule))
    .tag("alertname", tagValue(alert.name))
    .tag("severity", alert.severity)
    .tag("event", record.event)
    .stringField("title", oneLine(alertTitle(alert)))
    .stringField("text", alertText(record))
    .stringField("alert_id", alert.id)
    .timestamp(record.time);
  for (const name of ["brand", "channel"] as const) {
    const value = alert.labels[name];
    if (value !== undefined) point.tag(name, tagValue(value));
  }
  finite(point, "value", alert.last.value);
  finite(point, "expected", alert.last.expected);
  finite(point, "factor", alert.last.factor);
  return line(point);
}
