// Replacing a file so that a crash leaves either the old content or the new, never a torn mix:
// write a temporary file beside it, fsync it, rename it over the target, fsync the directory.
import { closeSync, fsyncSync, openSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  const file = await open(temporary, "w");
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  syncDirectory(dirname(path));
}

/** Makes a created or renamed directory entry durable (POSIX; a no-op where directories cannot be opened). */
export function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; its renames are durable on their own.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
