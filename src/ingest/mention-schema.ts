// The Mention contract of design.md §2 as a zod schema, and the validation every source goes through.
import { z } from "zod";
import type { Mention, RawMention } from "../model/index.js";
import { ALL_CHANNELS } from "../model/index.js";
import { asciiDigits, daysInMonth } from "../util/date-time-fields.js";
import { isoInstant } from "../util/iso-instant.js";
import { pathText } from "../util/zod-issues.js";

// Labels become series keys and Influx tags: no control characters (NUL is our key separator).
const LABEL = /^[^\p{Cc}]+$/u;
// ISO 8601 date-time with an explicit offset: event time must not depend on the server's zone.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

// Field sizes: a mention is a post, not a document, and everything kept per mention (dedup ids,
// author sets, evidence) must stay small. A long news article fits in FIELD_LIMITS.text.
export const FIELD_LIMITS = {
  text: 100_000,
  /** Ids, author fields and in_reply_to. */
  id: 512,
  /** brand, channel and each topic (labels of series and Influx tags). */
  label: 200,
  /** RFC 9110 §4.1 recommends handling URIs of at least 8000 octets. */
  url: 8000,
  /** BCP 47 tags: RFC 5646 §4.4.1 asks for at least 35 characters. */
  lang: 35,
  topics: 100,
} as const;

const SENTIMENT_LABELS = ["negative", "neutral", "positive"] as const;
const SENTIMENT = "sentiment must be a number in [-1, 1] or one of negative, neutral, positive";

const label = (what: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`),
    })
    .min(1, { error: `${what} must not be empty` })
    .max(FIELD_LIMITS.label, { error: `${what} must be at most ${FIELD_LIMITS.label} characters` })
    .regex(LABEL, { error: `${what} must not contain control characters` });

const bounded = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, { error: `${what} must be at most ${max} characters` });

const count = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number` })
    .nonnegative({ error: `${what} must not be negative` });

export const mentionSchema = z.looseObject({
  id: z
    .string({ error: "id is required and must be a string" })
    .min(1, { error: "id must not be empty" })
    .max(FIELD_LIMITS.id, { error: `id must be at most ${FIELD_LIMITS.id} characters` }),
  brand: label("brand"),
  text: z
    .string({ error: "text is required and must be a string" })
    .max(FIELD_LIMITS.text, { error: `text must be at most ${FIELD_LIMITS.text} characters` }),
  // "all" names a brand's total series: a channel of that name would be counted into it twice.
  channel: label("channel").refine((channel) => channel !== ALL_CHANNELS, {
    error: `channel "${ALL_CHANNELS}" is reserved for a brand's total series`,
  }),
  created_at: z
    .string({ error: "created_at is required: an ISO 8601 date-time with offset, e.g. 2026-11-23T08:00:00Z" })
    .regex(ISO_WITH_OFFSET, {
      error: "created_at must be an ISO 8601 date-time with an offset, e.g. 2026-11-23T08:00:00Z",
    }),
  author: z
    .looseObject({
      id: bounded("author.id", FIELD_LIMITS.id).optional(),
      name: bounded("author.name", FIELD_LIMITS.id).optional(),
      followers: count("author.followers").optional(),
    })
    .optional(),
  url: bounded("url", FIELD_LIMITS.url).optional(),
  lang: z
    .string({ error: "lang must be a string such as 'en' or 'fr'" })
    .max(FIELD_LIMITS.lang, { error: `lang must be at most ${FIELD_LIMITS.lang} characters` })
    .optional(),
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
  topics: z
    .array(
      z
        .string({ error: "topics must be an array of strings" })
        .max(FIELD_LIMITS.label, { error: `each topic must be at most ${FIELD_LIMITS.label} characters` }),
      { error: "topics must be an array of strings" },
    )
    .max(FIELD_LIMITS.topics, { error: `topics must have at most ${FIELD_LIMITS.topics} entries` })
    .optional(),
  in_reply_to: bounded("in_reply_to", FIELD_LIMITS.id).optional(),
  is_brand_reply: z.boolean({ error: "is_brand_reply must be true or false" }).optional(),
});

export type MentionValidation = { ok: true; mention: Mention } | { ok: false; error: string };

/**
 * Validates one decoded JSON value; the error names the field and what to do about it. A mention
 * that passes the hand-written check is the value itself with its event time added, not a copy:
 * copying every mention's properties cost more than the rest of its validation. Give it a value you
 * are done with.
 */
export function validateMention(value: unknown): MentionValidation {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "expected a JSON object (one mention)" };
  }
  // The usual mention passes the schema's every rule checked by hand, at a fraction of zod's cost
  // (the ingest path's largest), and has its time read by isoInstant; anything else goes through zod
  // for its precise errors, and Date.parse.
  const record = value as Record<string, unknown>;
  if (passesSchema(record)) {
    const time = isoInstant(record.created_at as string);
    if (!Number.isNaN(time)) {
      record.time = time;
      return { ok: true, mention: record as unknown as Mention };
    }
    if (ISO_WITH_OFFSET.test(record.created_at as string)) return withTime(record as RawMention);
  }
  return validateWithSchema(value);
}

/** validateMention through zod alone: the reference the hand-written check must agree with. */
export function validateWithSchema(value: unknown): MentionValidation {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "expected a JSON object (one mention)" };
  }
  const result = mentionSchema.safeParse(value);
  if (!result.success) {
    return { ok: false, error: result.error.issues.map(describeIssue).join("; ") };
  }
  return withTime(result.data as RawMention);
}

function withTime(raw: RawMention): MentionValidation {
  const time = Date.parse(raw.created_at);
  if (Number.isNaN(time) || !isCalendarDay(raw.created_at)) {
    return { ok: false, error: `created_at is not a real date: ${JSON.stringify(raw.created_at)}` };
  }
  const mention = raw as Mention;
  mention.time = time;
  return { ok: true, mention };
}

/**
 * Every rule of mentionSchema but created_at's form (the caller reads it), by hand: true only when
 * the schema would accept the value as it is (a false here only means "ask zod"). Kept beside the
 * schema; a property test holds them together.
 */
function passesSchema(m: Record<string, unknown>): boolean {
  return (
    isString(m.id, 1, FIELD_LIMITS.id) &&
    isLabel(m.brand) &&
    isString(m.text, 0, FIELD_LIMITS.text) &&
    isLabel(m.channel) &&
    m.channel !== ALL_CHANNELS &&
    typeof m.created_at === "string" &&
    (m.author === undefined ||
      (isPlainObject(m.author) &&
        optionalString(m.author.id, FIELD_LIMITS.id) &&
        optionalString(m.author.name, FIELD_LIMITS.id) &&
        optionalCount(m.author.followers))) &&
    optionalString(m.url, FIELD_LIMITS.url) &&
    optionalString(m.lang, FIELD_LIMITS.lang) &&
    (m.sentiment === undefined ||
      (typeof m.sentiment === "number" && m.sentiment >= -1 && m.sentiment <= 1) ||
      m.sentiment === "negative" ||
      m.sentiment === "neutral" ||
      m.sentiment === "positive") &&
    (m.engagement === undefined ||
      (isPlainObject(m.engagement) &&
        optionalCount(m.engagement.likes) &&
        optionalCount(m.engagement.shares) &&
        optionalCount(m.engagement.comments))) &&
    (m.topics === undefined ||
      (Array.isArray(m.topics) &&
        m.topics.length <= FIELD_LIMITS.topics &&
        m.topics.every((topic) => isString(topic, 0, FIELD_LIMITS.label)))) &&
    optionalString(m.in_reply_to, FIELD_LIMITS.id) &&
    (m.is_brand_reply === undefined || typeof m.is_brand_reply === "boolean")
  );
}

const isString = (v: unknown, min: number, max: number): v is string =>
  typeof v === "string" && v.length >= min && v.length <= max;
const optionalString = (v: unknown, max: number): boolean => v === undefined || isString(v, 0, max);
const optionalCount = (v: unknown): boolean =>
  v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A label: 1–200 characters, none a control character (C0, DEL, C1: \p{Cc}). */
function isLabel(v: unknown): v is string {
  if (!isString(v, 1, FIELD_LIMITS.label)) return false;
  for (let i = 0; i < v.length; i++) {
    const code = v.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

/**
 * Whether the date part names a day that exists: Date.parse rolls 2026-02-30 over to March 2 instead
 * of refusing it, which would count a mention in a window its sender never meant.
 */
function isCalendarDay(iso: string): boolean {
  // ISO_WITH_OFFSET has checked that these are digits.
  const year = asciiDigits(iso, 0, 4);
  const month = asciiDigits(iso, 5, 7);
  const day = asciiDigits(iso, 8, 10);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Our messages name their field; zod's generic ones (deep in unknown objects) get the path added. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = pathText(issue.path);
  return path === "" || issue.message.startsWith(path) ? issue.message : `${path}: ${issue.message}`;
}
