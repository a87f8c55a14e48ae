// Byte sizes as config authors write them ("10MiB", "512kb", 1048576) to bytes.
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses a size; returns undefined when the text is not one (callers phrase the error). */
export function parseSize(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNITS[(match[2] || "b").toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}
