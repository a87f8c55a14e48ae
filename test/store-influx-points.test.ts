import { describe, expect, it } from "vitest";
import {
  ALERTS_MEASUREMENT,
  alertLine,
  SCORES_MEASUREMENT,
  scoreLine,
  SERIES_MEASUREMENT,
  seriesLines,
} from "../src/store/influx-points.js";
import type { ScoreRecord } from "../src/store/series-store.js";
import { metricValues, seriesWindow, T0, testAlert, W } from "./helpers/influx-fixtures.js";

// Expected lines are written by hand from the line protocol reference
// (https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/): tags and fields
// sorted by key as the client emits them, floats bare, integers with `i`, strings quoted.

const score = (overrides: Partial<ScoreRecord> = {}): ScoreRecord => ({
  time: T0,
  rule: "kryptonite/NegativeBuzzSpike",
  alertname: "NegativeBuzzSpike",
  labels: { brand: "kryptonite", channel: "all" },
  value: 412,
  expected: 46.2,
  factor: 8.92,
  score: 30,
  pValue: 1.2e-30,
  breach: true,
  ...overrides,
});

describe("InfluxDB line protocol", () => {
  it("keeps the measurement names the dashboards query", () => {
    expect([SERIES_MEASUREMENT, SCORES_MEASUREMENT, ALERTS_MEASUREMENT]).toEqual([
      "tocsin_series",
      "tocsin_scores",
      "tocsin_alerts",
    ]);
  });

  it("writes one tocsin_series point per key with every metric as a float at the window start", () => {
    const lines = seriesLines(
      seriesWindow(T0, [
        [{ brand: "kryptonite", channel: "all" }, metricValues(1)],
        [{ series: "imported" }, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
      ]),
    );
    expect(lines).toEqual([
      "tocsin_series,brand=kryptonite,channel=all brand_replies=1,first_response_seconds=600,mentions=10," +
        "negative=4,negative_authors=3,negative_reach=1500,negative_share=0.4,response_rate=0.75," +
        "unanswered_negative=2,unanswered_overdue=5 1772445600000",
      "tocsin_series,series=imported brand_replies=0,first_response_seconds=0,mentions=0,negative=0," +
        "negative_authors=0,negative_reach=0,negative_share=0,response_rate=0,unanswered_negative=0," +
        "unanswered_overdue=0 1772445600000",
    ]);
  });

  it("escapes hostile label values so they stay one tag each", () => {
    const [line] = seriesLines(seriesWindow(T0, [[{ brand: "a,b=c d", channel: "x\\" }, metricValues(1)]]));
    expect(line?.startsWith("tocsin_series,brand=a\\,b\\=c\\ d,channel=x/ brand_replies=1,")).toBe(true);
  });

  it("writes a rule reading with rule, alertname and series labels as tags and breach as an integer", () => {
    expect(scoreLine(score())).toBe(
      "tocsin_scores,alertname=NegativeBuzzSpike,brand=kryptonite,channel=all,rule=kryptonite/NegativeBuzzSpike " +
        "breach=1i,expected=46.2,factor=8.92,p_value=1.2e-30,score=30,value=412 1772445600000",
    );
  });

  it("leaves out a p-value the detector did not give and numbers InfluxDB cannot store", () => {
    expect(scoreLine(score({ pValue: undefined, factor: Infinity, score: Number.NaN, breach: false }))).toBe(
      "tocsin_scores,alertname=NegativeBuzzSpike,brand=kryptonite,channel=all,rule=kryptonite/NegativeBuzzSpike " +
        "breach=0i,expected=46.2,value=412 1772445600000",
    );
  });

  it("does not let a series label named rule replace the rule tag", () => {
    expect(scoreLine(score({ labels: { rule: "spoof" } }))).toContain(",rule=kryptonite/NegativeBuzzSpike ");
  });

  it("writes an alert event with the annotation title and text Grafana shows", () => {
    expect(alertLine({ time: T0 + W, event: "firing", alert: testAlert() })).toBe(
      "tocsin_alerts,alertname=NegativeBuzzSpike,brand=kryptonite,channel=all,event=firing," +
        "rule=kryptonite/NegativeBuzzSpike,severity=critical " +
        'alert_id="3f2a9c0d1e2b4a5c-tb9o0c",expected=46.2,factor=8.92,' +
        'text="kryptonite: 412 negative mentions, \\"8.9x\\" the usual \\\\o/",' +
        'title="[CRITICAL] NegativeBuzzSpike brand=kryptonite channel=all",value=412 1772445900000',
    );
  });

  it("says who acknowledged an alert in its text", () => {
    const alert = testAlert({ acknowledged: { by: "jeanne", at: T0 + 2 * W, comment: "on it" } });
    const line = alertLine({ time: T0 + 2 * W, event: "acknowledged", alert });
    expect(line).toContain(",event=acknowledged,");
    expect(line).toContain(
      'text="kryptonite: 412 negative mentions, \\"8.9x\\" the usual \\\\o/ — acknowledged by jeanne: on it"',
    );
  });

  it("keeps an alert without brand or channel labels, titled by its series label", () => {
    const alert = testAlert({ labels: { series: "nab/ec2" }, severity: "warning", annotations: {} });
    expect(alertLine({ time: T0, event: "resolved", alert })).toBe(
      "tocsin_alerts,alertname=NegativeBuzzSpike,event=resolved,rule=kryptonite/NegativeBuzzSpike,severity=warning " +
        'alert_id="3f2a9c0d1e2b4a5c-tb9o0c",expected=46.2,factor=8.92,' +
        'text="[WARNING] NegativeBuzzSpike series=nab/ec2",title="[WARNING] NegativeBuzzSpike series=nab/ec2",' +
        "value=412 1772445600000",
    );
  });

  it("puts a multi-line summary on one line, which every server can parse", () => {
    const alert = testAlert({ annotations: { summary: "first line\n  second line\r\nthird" } });
    expect(alertLine({ time: T0, event: "firing", alert })).toContain('text="first line second line third"');
  });
});
