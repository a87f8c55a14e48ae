// The must-show of issue 6 part 1: the demo crisis replayed through the engine with the shipped
// negative-buzz rules. The NegativeBuzzSpike pages explain it with what the scenario planted: the
// viral post first, the story terms among the top emerging terms, the channels in the order they
// took the story up; and the Slack page built from the alert shows them.
import { beforeAll, describe, expect, it } from "vitest";
import { CHANNEL_ORDER, STORY_TERMS, scenarioFacts } from "../examples/demo/scenario.js";
import type { AlertEvent } from "../src/model/index.js";
import { slackPlan } from "../src/notify/slack-blocks.js";
import { replayDemo } from "./helpers/demo-replay.js";

describe("demo crisis explanation", () => {
  const crisis = scenarioFacts().crisis!;
  let pages: AlertEvent[] = [];
  beforeAll(async () => {
    pages = (await replayDemo()).filter(
      (event) =>
        event.alert.name === "NegativeBuzzSpike" && (event.type === "firing" || event.type === "escalated"),
    );
  }, 60_000);

  it("pages the spike with an explanation when it fires and when it escalates", () => {
    expect(pages.map((event) => event.type)).toEqual(["firing", "escalated", "escalated"]);
    for (const { alert } of pages) expect(alert.explanation).toBeDefined();
  });

  it("names the viral post first among the top posts, with its link", () => {
    for (const { alert } of pages) {
      const first = alert.explanation!.posts[0];
      expect(first?.id).toBe(crisis.viralPostId);
      expect(first?.url).toBe(crisis.viralUrl);
      expect(alert.explanation!.posts.length).toBeLessThanOrEqual(3);
    }
  });

  it("lists at least three of the planted story terms among the top eight emerging terms", () => {
    for (const { alert } of pages) {
      const terms = alert.explanation!.terms.map((t) => t.term);
      expect(terms.length).toBeLessThanOrEqual(8);
      expect(STORY_TERMS.filter((term) => terms.includes(term)).length).toBeGreaterThanOrEqual(3);
    }
  });

  it("lists the channels in the order they took the story up, forum first", () => {
    for (const { alert } of pages) {
      const joined = alert.explanation!.spread.joined.map((j) => j.channel);
      expect(joined.length).toBeGreaterThanOrEqual(2);
      expect(joined).toEqual(CHANNEL_ORDER.slice(0, joined.length));
      expect(alert.explanation!.spread.joined[0]!.at).toBe(Date.parse(crisis.start));
    }
  });

  it("shows the viral post as a link, the story terms and the channels in order on the Slack page", () => {
    const firing = pages[0]!;
    const { post } = slackPlan({ channel: "#crisis" }, { event: "firing", alert: firing.alert });
    const page = JSON.stringify(post.blocks);
    expect(page).toContain("*Why* · ");
    expect(page).toContain(`<${crisis.viralUrl}|Video: my Kryptonite U-lock opened with a Bic ballpoint pen`);
    const terms = /\*Emerging terms:\* ([^"]*)"/.exec(page)?.[1]?.split(", ") ?? [];
    expect(STORY_TERMS.filter((term) => terms.includes(term)).length).toBeGreaterThanOrEqual(3);
    const joined = firing.alert.explanation!.spread.joined.map((j) => j.channel);
    expect(page).toContain(`*Spread:* ${joined.join(" → ")}`);
    expect(joined[0]).toBe("forum");
  });
});
