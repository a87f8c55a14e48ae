// State that must match another snapshot taken at the same instant (the alert book and the paging
// decisions match the series snapshot: both as of the same closed window). Each save keeps the
// previous one: the state is written before the snapshot it matches, so a crash between the two
// leaves the older snapshot on disk and, beside it, the older state that matches it.
import { readFile, rename } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-file.js";

const VERSION = 1;

interface Saved<T> {
  version: number;
  /** What the state matches, e.g. the start of the newest closed window in the series snapshot. */
  through: number;
  savedAt: number;
  state: T;
}

export type LoadedState<T> =
  | { ok: true; state: T; savedAt: number }
  | { ok: false; reason: "none" | "mismatch" | "unreadable"; detail?: string };

/**
 * The state as it is now, serialized at once (the live objects move on while the file is written),
 * as matching `through`.
 */
export function encodeState<T>(through: number, state: T, savedAt: number): string {
  return JSON.stringify({ version: VERSION, through, savedAt, state } satisfies Saved<T>);
}

/** Writes an encoded state; the file saved before becomes `<path>.prev`. */
export async function saveState(path: string, text: string): Promise<void> {
  try {
    await rename(path, `${path}.prev`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await writeFileAtomic(path, text);
}

/** The newest saved state that matches `through` (the current file, else the previous one). */
export async function loadState<T>(path: string, through: number): Promise<LoadedState<T>> {
  let seen = false;
  let unreadable: string | undefined;
  for (const candidate of [path, `${path}.prev`]) {
    let text: string;
    try {
      text = await readFile(candidate, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    seen = true;
    let saved: Saved<T>;
    try {
      saved = JSON.parse(text) as Saved<T>;
    } catch (error) {
      unreadable = `${candidate}: ${(error as Error).message}`;
      continue;
    }
    if (saved.version !== VERSION) {
      unreadable = `${candidate}: unsupported version ${saved.version}`;
      continue;
    }
    if (saved.through === through) return { ok: true, state: saved.state, savedAt: saved.savedAt };
  }
  if (!seen) return { ok: false, reason: "none" };
  return unreadable
    ? { ok: false, reason: "unreadable", detail: unreadable }
    : { ok: false, reason: "mismatch" };
}
