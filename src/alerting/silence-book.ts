// The silences the engine holds, kept in a JSON file (data_dir/silences.json by default) so they
// survive restarts, and editable by the API (GET|POST|DELETE /v1/silences) or by hand while Tocsin is
// stopped. Every change is written atomically before it is acknowledged.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "../util/atomic-file.js";
import { pathText } from "../util/zod-issues.js";
import type { Silence } from "./silences.js";
import { matchOne } from "./matchers.js";
import { Silences, silenceFields, silencesFileSchema } from "./silences.js";

/** A silence as posted to the API: the id is ours to give unless the caller names one to replace. */
export const newSilenceSchema = silenceFields.extend({
  id: z.string().min(1).max(128).optional(),
  startsAt: silenceFields.shape.startsAt.optional(),
});

export type NewSilence = z.input<typeof newSilenceSchema>;

/** Silences that expired more than this long ago are dropped from the file. */
const KEEP_EXPIRED_MS = 7 * 24 * 3_600_000;

export class SilenceBook {
  readonly silences: Silences;

  private constructor(
    private readonly path: string | undefined,
    silences: Silences,
  ) {
    this.silences = silences;
  }

  /** Loads the file (none yet: no silences); a bad file is an error naming the file and the field. */
  static async open(path: string | undefined): Promise<SilenceBook> {
    if (path === undefined) return new SilenceBook(undefined, new Silences());
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new SilenceBook(path, new Silences());
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new Error(`${path}: not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const parsed = silencesFileSchema.safeParse(data);
    if (!parsed.success) throw new Error(`${path}: ${issueText(parsed.error, "invalid silences")}`);
    return new SilenceBook(path, new Silences(parsed.data));
  }

  /**
   * Adds (or, with an existing id, replaces) a silence and saves the file. Returns the stored
   * silence, or the reason it was refused.
   */
  async add(
    input: unknown,
    now: number,
  ): Promise<{ ok: true; silence: Silence } | { ok: false; error: string }> {
    const parsed = newSilenceSchema.safeParse(input);
    if (!parsed.success) return { ok: false, error: issueText(parsed.error, "invalid silence") };
    const silence: Silence = {
      ...parsed.data,
      id: parsed.data.id ?? randomUUID(),
      startsAt: parsed.data.startsAt ?? now,
    };
    if (!(silence.endsAt > silence.startsAt)) return { ok: false, error: "endsAt: must be after startsAt" };
    if (silence.endsAt <= now) return { ok: false, error: "endsAt: must be in the future" };
    // Alertmanager's rule: a silence must say what it silences, not everything.
    if (silence.matchers.every((m) => matchOne(m, {})))
      return {
        ok: false,
        error: "matchers: every matcher matches an empty label: this would silence every alert",
      };
    await this.change(silence.id, now, () => this.silences.add(silence));
    return { ok: true, silence };
  }

  /** Ends a silence now; false if it is unknown or already over. */
  async expire(id: string, now: number): Promise<boolean> {
    let expired = false;
    await this.change(id, now, () => (expired = this.silences.expire(id, now)));
    return expired;
  }

  /** Applies a change to one silence and saves; if the file cannot be written, the change is undone. */
  private async change(id: string, now: number, apply: () => void): Promise<void> {
    this.silences.forget(now - KEEP_EXPIRED_MS);
    const previous = this.silences.get(id);
    apply();
    if (this.path === undefined) return;
    try {
      await writeFileAtomic(this.path, `${JSON.stringify(this.silences.toJSON(), null, 2)}\n`);
    } catch (error) {
      this.silences.restore(id, previous);
      throw error;
    }
  }
}

/** The first issue as `path: message`, or the message alone when it is about the whole value. */
function issueText(error: z.ZodError, fallback: string): string {
  const issue = error.issues[0];
  if (!issue) return fallback;
  const where = pathText(issue.path);
  return where ? `${where}: ${issue.message}` : issue.message;
}
