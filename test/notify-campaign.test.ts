// A page sent during a campaign says why its expected level is raised, on every channel's facts.
import { describe, expect, it } from "vitest";
import { buildMessage } from "../src/notify/message.js";
import { slackPlan } from "../src/notify/slack-blocks.js";
import { contractAlert } from "./helpers/notifier-contract.js";

const CAMPAIGN = "expected raised ×3 for spring launch";

describe("pages during a campaign", () => {
  it("carry the campaign among the facts, right after the expected level", () => {
    const alert = contractAlert({ annotations: { summary: "spike", campaign: CAMPAIGN } });
    const labels = buildMessage({ event: "firing", alert }).facts.map((fact) => fact.label);
    expect(labels.slice(0, 4)).toEqual(["Observed", "Expected", "Campaign", "Factor"]);
    const plan = slackPlan({ channel: "#comms" }, { event: "firing", alert });
    expect(JSON.stringify(plan.post.blocks)).toContain(CAMPAIGN);
  });

  it("say nothing of campaigns outside one", () => {
    const alert = contractAlert({ annotations: { summary: "spike" } });
    expect(buildMessage({ event: "firing", alert }).facts.map((fact) => fact.label)).not.toContain(
      "Campaign",
    );
  });
});
