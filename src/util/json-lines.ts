// Reading an append-only JSON-lines file back after a crash: every complete line, in order, with its
// 1-based number. An incomplete last line (a crash mid-append) is dropped, and with `repair` cut from
// the file so the next append is not glued to it. A missing file has no lines. Parsing is the
// caller's: each file names its own bad records.
import { readFile, truncate } from "node:fs/promises";

export interface JsonLinesRead {
  lines: Array<{ number: number; text: string }>;
  /** Bytes of an incomplete last line that were dropped (0 when the file ended cleanly). */
  tornBytes: number;
}

export async function readJsonLines(path: string, { repair }: { repair: boolean }): Promise<JsonLinesRead> {
  let text = "";
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const end = text.lastIndexOf("\n") + 1;
  const tornBytes = Buffer.byteLength(text.slice(end));
  if (repair && tornBytes > 0) await truncate(path, Buffer.byteLength(text.slice(0, end)));
  const lines = text.slice(0, end).split("\n");
  lines.pop();
  return { lines: lines.map((line, index) => ({ number: index + 1, text: line })), tornBytes };
}
