import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { configErrors } from "./helpers/config.js";

const CONFIG = `receivers:
  comms-slack:
    type: slack
    token: \${SLACK_TOKEN}
    channel: "#comms-alerts"
  oncall:
    type: pagerduty
    routing_key: \${PD_KEY}
time_intervals:
  - name: nights
    time_intervals: [{ times: ["22:00-06:00"] }]
route:
  receiver: comms-slack
  group_by: [brand]
  routes:
    - receiver: oncall
      matchers: ['severity="critical"']
      mute_time_intervals: [nights]
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [brand]
`;

const env = { SLACK_TOKEN: "xoxb-test", PD_KEY: "R0UT1NG" };

const errorsOf = (text: string): string[] => configErrors(text, env);

describe("notification sections of tocsin.yaml", () => {
  it("builds receivers from the notifier registry, the route tree with inheritance, inhibition and time intervals", () => {
    const config = parseConfig(CONFIG, "tocsin.yaml", env);
    expect(Object.keys(config.receivers)).toEqual(["comms-slack", "oncall"]);
    expect(config.receivers["comms-slack"]).toMatchObject({ type: "slack", token: "xoxb-test" });
    expect(config.route?.routes[0]).toMatchObject({
      receiver: "oncall",
      groupBy: ["brand"],
      muteTimeIntervals: ["nights"],
    });
    expect(config.inhibit_rules).toHaveLength(1);
    expect(config.time_intervals.map((w) => w.name)).toEqual(["nights"]);
  });

  it("has no routing by default: alerts go to the console and the alert log only", () => {
    const config = parseConfig("", "tocsin.yaml", {});
    expect(config.route).toBeUndefined();
    expect(config.receivers).toEqual({});
  });

  it("points at a route whose receiver or time interval is not defined, and at unknown receiver keys", () => {
    const text = CONFIG.replace("    - receiver: oncall", "    - receiver: on-call")
      .replace("mute_time_intervals: [nights]", "mute_time_intervals: [weekends]")
      .replace('    channel: "#comms-alerts"', '    channel: "#comms-alerts"\n    chanel: typo');
    expect(errorsOf(text)).toEqual([
      'tocsin.yaml:6:5: unknown key "chanel" in receivers.comms-slack',
      'tocsin.yaml:17:17: route.routes[0].receiver: receiver "on-call" is not defined under receivers',
      'tocsin.yaml:19:29: route.routes[0].mute_time_intervals[0]: time interval "weekends" is not defined under time_intervals',
    ]);
  });

  it("inherits escalation steps, reports an unknown escalation receiver once where it is written, and wants steps in order", () => {
    const text = CONFIG.replace(
      "  group_by: [brand]\n",
      "  group_by: [brand]\n  escalate: [{ after: 15m, receiver: pager }]\n",
    );
    expect(errorsOf(text)).toEqual([
      'tocsin.yaml:15:38: route.escalate[0].receiver: receiver "pager" is not defined under receivers',
    ]);
    const good = parseConfig(text.replace("receiver: pager", "receiver: oncall"), "tocsin.yaml", env);
    expect(good.route?.escalate).toEqual([{ afterMs: 900_000, receiver: "oncall" }]);
    expect(good.route?.routes[0]?.escalate).toEqual([{ afterMs: 900_000, receiver: "oncall" }]);
    const unordered = text.replace(
      "[{ after: 15m, receiver: pager }]",
      "[{ after: 15m, receiver: oncall }, { after: 5m, receiver: comms-slack }]",
    );
    expect(errorsOf(unordered)).toEqual([
      "tocsin.yaml:15:13: route.escalate: escalation steps must come in increasing order of `after`",
    ]);
  });
});
