// Property tests of the page renderers on hostile alert text: annotations, labels, names, notes,
// acknowledgements and explanations (terms, posts, authors) full of Slack control sequences, HTML,
// mrkdwn, control characters, RTL marks, emoji, lone surrogates and 100k-character strings. Every
// channel renders without a throw, within the limits it promises, with nothing left live.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Alert, Explanation } from "../src/model/index.js";
import { buildEmail, emailNotifier } from "../src/notify/email.js";
import { buildMessage } from "../src/notify/message.js";
import type { Notification } from "../src/notify/notifier.js";
import { pagerdutyNotifier } from "../src/notify/pagerduty.js";
import { slackPlan } from "../src/notify/slack-blocks.js";
import { SLACK_LIMITS } from "../src/notify/slack-text.js";
import { webhookRequest } from "../src/notify/webhook.js";
import { contractAlert, hostileExplanation } from "./helpers/notifier-contract.js";

// One seed per run of the suite, so CI is repeatable; FC_SEED=<n> explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });

const RUNS = { numRuns: 100 };
const TIMEOUT_MS = 15_000;

const NASTY = [
  "<!channel>",
  "<!here|here>",
  "<!everyone>",
  "@here",
  "@channel",
  "<@U123>",
  "<#C42>",
  "<https://evil.example|click>",
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  '"><svg onload=alert(1)>',
  "*bold* _it_ ~strike~ `code` ```block```",
  "&amp; &lt; &",
  "\u0000\u0007\u001b[31m\r\n\t",
  "\u202e\u200f\u200e\u2066",
  "\u2028\u2029",
  "🔒🚨👩‍👩‍👧",
  "\ud800",
  "\udfff",
  "é",
  "{{ brand }}",
];
const hostileText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(fc.constantFrom(...NASTY), { maxLength: 8 }).map((parts) => parts.join(" ")),
  },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...NASTY), fc.integer({ min: 1, max: 100_000 }))
      .map(([part, n]) => part.repeat(Math.ceil(n / part.length)).slice(0, n)),
  },
);

// Label values come from validated mentions and rule files: at most 200 characters (mention-schema.ts).
const labelsArb = fc.dictionary(
  fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
  hostileText.map((t) => t.slice(0, 200)),
  {
    maxKeys: 6,
  },
);

const explanationArb: fc.Arbitrary<Explanation> = fc
  .record({
    plain: hostileText,
    terms: fc.array(hostileText, { maxLength: 6 }),
    posts: fc.array(
      fc.record({
        text: hostileText,
        author: fc.option(hostileText, { nil: undefined }),
        url: fc.option(fc.oneof(fc.webUrl(), hostileText, fc.constant("javascript:alert(1)")), {
          nil: undefined,
        }),
        channel: hostileText,
      }),
      { maxLength: 6 },
    ),
    influencer: hostileText,
  })
  .map(({ plain, terms, posts, influencer }) => {
    const base = hostileExplanation();
    const [template] = base.posts;
    return {
      ...base,
      plain,
      terms: terms.map((term, i) => ({ term, count: 10 + i, baseline: 0, g2: 50 })),
      posts: posts.map(({ text, author, url, channel }, i) => ({
        ...template!,
        id: `p${i}`,
        text,
        channel,
        ...(author === undefined ? { author: undefined } : { author }),
        ...(url === undefined ? { url: undefined } : { url }),
      })),
      spread: { ...base.spread, influencers: [{ name: influencer, followers: 12_000, channel: "twitter" }] },
    };
  });

const notificationArb: fc.Arbitrary<Notification> = fc
  .record({
    event: fc.constantFrom("firing", "escalated", "resolved", "acknowledged", "reminder"),
    name: hostileText,
    rule: hostileText,
    labels: labelsArb,
    summary: hostileText,
    description: hostileText,
    campaign: fc.option(hostileText, { nil: undefined }),
    runbook: fc.oneof(fc.webUrl(), hostileText),
    note: fc.option(hostileText, { nil: undefined }),
    ack: fc.option(fc.record({ by: hostileText, comment: hostileText }), { nil: undefined }),
    explanation: fc.option(explanationArb, { nil: undefined }),
  })
  .map((r) => {
    const alert: Alert = contractAlert({
      name: r.name,
      rule: r.rule,
      labels: r.labels,
      annotations: {
        summary: r.summary,
        description: r.description,
        runbook_url: r.runbook,
        ...(r.campaign === undefined ? {} : { campaign: r.campaign }),
      },
      ...(r.ack ? { acknowledged: { at: Date.parse("2026-03-06T12:20:00Z"), ...r.ack } } : {}),
      ...(r.explanation ? { explanation: r.explanation } : {}),
    });
    return { event: r.event, alert, ...(r.note === undefined ? {} : { note: r.note }) };
  });

/** Every "<" in Slack text opens a link we wrote to an http(s) URL; nothing else is live. */
function expectInertSlack(text: string): void {
  for (const match of text.matchAll(/</g))
    expect(text.slice(match.index, match.index + 9)).toMatch(/^<https?:\/\//i);
  expect(text).not.toMatch(/@(here|channel|everyone)/i);
}

describe("page renderers on hostile alert text", () => {
  it(
    "builds the channel-neutral message without a throw, quoting posts in short excerpts",
    () => {
      fc.assert(
        fc.property(notificationArb, (notification) => {
          const message = buildMessage(notification);
          for (const post of message.why?.posts ?? []) {
            expect([...post.excerpt].length).toBeLessThanOrEqual(140);
            if (post.url !== undefined) expect(post.url).toMatch(/^https?:\/\//i);
          }
          for (const link of message.links) expect(link.url).toMatch(/^https?:\/\//);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "keeps Slack within Block Kit's limits, with no live mention, broadcast or foreign link",
    () => {
      fc.assert(
        fc.property(notificationArb, fc.boolean(), (notification, threaded) => {
          const plan = slackPlan(
            { channel: "#comms" },
            threaded ? { ...notification, thread: { channel: "C1", ts: "1.2" } } : notification,
          );
          for (const call of [plan.post, ...(plan.update ? [plan.update] : [])]) {
            expect(call.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
            expectInertSlack(call.text);
            expect(call.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
            for (const block of call.blocks) {
              if (block.type === "header") {
                expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
                expectInertSlack(block.text.text);
              } else if (block.type === "section") {
                expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
                expectInertSlack(block.text.text);
                expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
                for (const field of block.fields ?? []) {
                  expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
                  expectInertSlack(field.text);
                }
              } else if (block.type === "context") {
                expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
                for (const element of block.elements) {
                  expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
                  expectInertSlack(element.text);
                }
              } else {
                // Buttons: text at most 75 characters, value at most 2000 (Block Kit's button element).
                for (const element of block.elements) {
                  expect(element.text.text.length).toBeLessThanOrEqual(75);
                  expect(element.value.length).toBeLessThanOrEqual(2000);
                }
              }
            }
          }
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "writes email with no live tag, attribute or script link, and a one-line subject of at most 150 characters",
    () => {
      const config = emailNotifier.schema.parse({
        host: "127.0.0.1",
        from: "Tocsin <tocsin@example.com>",
        to: ["comms@example.com"],
      });
      const OURS = /^<\/?(!DOCTYPE|html|head|meta|body|h2|h3|p|strong|table|tr|th|td|ol|li|a|br)[\s>]/i;
      fc.assert(
        fc.property(notificationArb, (notification) => {
          const { mail } = buildEmail(config, notification);
          expect([...mail.subject].length).toBeLessThanOrEqual(150);
          expect(mail.subject).not.toMatch(/[\r\n\u2028\u2029]/);
          expect(mail.html).not.toMatch(/<script/i);
          expect(mail.html).not.toMatch(/href="(?!https?:)/i);
          // Every tag in the HTML is one of ours: strangers' "<" arrive as &lt;.
          for (const match of mail.html.matchAll(/<[^<]{0,12}/g)) expect(match[0]).toMatch(OURS);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "keeps the PagerDuty event within the Events API's limits: summary 1024, details 4096, body 512 KB",
    () => {
      const notifier = pagerdutyNotifier.create(pagerdutyNotifier.schema.parse({ routing_key: "R0UT1NG" }), {
        name: "pd",
      });
      fc.assert(
        fc.property(notificationArb, (notification) => {
          const preview = notifier.preview!(notification);
          const [part] = preview.parts;
          if (part?.kind !== "json") return; // a reminder sends nothing
          expect(Buffer.byteLength(part.content)).toBeLessThanOrEqual(512 * 1024);
          const event = JSON.parse(part.content) as {
            dedup_key: string;
            payload?: { summary: string; custom_details: Record<string, unknown> };
          };
          expect(event.dedup_key.length).toBeLessThanOrEqual(255);
          if (!event.payload) return;
          expect(event.payload.summary.length).toBeLessThanOrEqual(1024);
          // What pagerduty.ts cuts to DETAIL_CHARS: the note, summary, description and explanation.
          // (campaign, from a calendar entry's note, is not cut: see the report of issue 7.)
          const details = event.payload.custom_details;
          for (const key of ["note", "summary", "description", "explanation"])
            if (typeof details[key] === "string")
              expect((details[key] as string).length).toBeLessThanOrEqual(4096);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "posts webhooks as well-formed JSON that gives the alert's texts back exactly",
    () => {
      fc.assert(
        fc.property(notificationArb, (notification) => {
          const { body, headers } = webhookRequest(notification);
          expect(headers["content-type"]).toBe("application/json");
          // Well-formed UTF-16: JSON.stringify escapes lone surrogates (\ud800), so none is left raw.
          expect(body).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
          const parsed = JSON.parse(body) as { alert: Alert; note?: string };
          expect(parsed.alert.annotations).toEqual(notification.alert.annotations);
          expect(parsed.alert.labels).toEqual(notification.alert.labels);
          expect(parsed.note).toEqual(notification.note || undefined);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );
});
