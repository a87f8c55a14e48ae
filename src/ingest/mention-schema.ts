// The Mention contract of design.md §2 as a zod schema, and the validation every source goes through.
import { z } from "zod";
import type { Mention, RawMention } from "../model/index.js";
import { pathText } from "../util/zod-issues.js";

// Labels become series keys and Influx tags: no control characters (NUL is our key separator).
const LABEL = /^[^\p{Cc}]+$/u;
// ISO 8601 date-time with an explicit offset: event time must not depend on the server's zone.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const SENTIMENT_LABELS = ["negative", "neutral", "positive"] as const;
const SENTIMENT = "sentiment must be a number in [-1, 1] or one of negative, neutral, positive";

const label = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, { error: `${what} must not be empty` })
    .max(200, { error: `${what} must be at most 200 characters` })
    .regex(LABEL, { error: `${what} must not contain control characters` });

const count = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number` })
    .nonnegative({ error: `${what} must not be negative` });

export const mentionSchema = z.looseObject({
  id: z
    .string({ error: "id is required and must be a string" })
    .min(1, { error: "id must not be empty" })
    .max(512, { error: "id must be at most 512 characters" }),
  brand: label("brand"),
  text: z.string({ error: "text is required and must be a string" }),
  channel: label("channel"),
  created_at: z
    .string({ error: "created_at is required: an ISO 8601 date-time with offset, e.g. 2026-11-23T08:00:00Z" })
    .regex(ISO_WITH_OFFSET, {
      error: "created_at must be an ISO 8601 date-time with an offset, e.g. 2026-11-23T08:00:00Z",
    }),
  author: z
    .looseObject({
      id: z.string({ error: "author.id must be a string" }).optional(),
      name: z.string({ error: "author.name must be a string" }).optional(),
      followers: count("author.followers").optional(),
    })
    .optional(),
  url: z.string({ error: "url must be a string" }).optional(),
  lang: z.string({ error: "lang must be a string such as 'en' or 'fr'" }).optional(),
  sentiment: z
    .union(
      [z.number().min(-1, { error: SENTIMENT }).max(1, { error: SENTIMENT }), z.enum(SENTIMENT_LABELS)],
      {
        error: SENTIMENT,
      },
    )
    .optional(),
  engagement: z
    .looseObject({
      likes: count("engagement.likes").optional(),
      shares: count("engagement.shares").optional(),
      comments: count("engagement.comments").optional(),
    })
    .optional(),
  topics: z.array(z.string(), { error: "topics must be an array of strings" }).optional(),
  in_reply_to: z.string({ error: "in_reply_to must be a string" }).optional(),
  is_brand_reply: z.boolean({ error: "is_brand_reply must be true or false" }).optional(),
});

export type MentionValidation = { ok: true; mention: Mention } | { ok: false; error: string };

/** Validates one decoded JSON value; the error names the field and what to do about it. */
export function validateMention(value: unknown): MentionValidation {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "expected a JSON object (one mention)" };
  }
  const result = mentionSchema.safeParse(value);
  if (!result.success) {
    return { ok: false, error: result.error.issues.map(describeIssue).join("; ") };
  }
  const raw = result.data as RawMention;
  const time = Date.parse(raw.created_at);
  if (Number.isNaN(time)) {
    return { ok: false, error: `created_at is not a real date: ${JSON.stringify(raw.created_at)}` };
  }
  const mention = raw as Mention;
  mention.time = time;
  return { ok: true, mention };
}

/** Our messages name their field; zod's generic ones (deep in unknown objects) get the path added. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = pathText(issue.path);
  return path === "" || issue.message.startsWith(path) ? issue.message : `${path}: ${issue.message}`;
}
