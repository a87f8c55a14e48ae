// Cutting text that people will read: by code points (what a reader counts as characters), never
// splitting an emoji's surrogate pair, with an ellipsis that says something was cut.

/** At most `max` code points, the last one "…" when cut. */
export function truncateCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
