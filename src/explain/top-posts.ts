// The posts a page quotes: the best-scoring negative posts since the story began, those carrying its
// terms first, each once.
import type { EvidencePost, WindowEvidence } from "../model/evidence.js";
import type { ExplainedPost } from "../model/index.js";

/** Whether the text uses the term as a whole word or phrase (Unicode letters and digits as word characters). */
export function uses(text: string, term: string): boolean {
  const lower = text.toLowerCase();
  let at = lower.indexOf(term);
  while (at !== -1) {
    const before = lower[at - 1] ?? " ";
    const after = lower[at + term.length] ?? " ";
    if (!WORD.test(before) && !WORD.test(after)) return true;
    at = lower.indexOf(term, at + 1);
  }
  return false;
}
const WORD = /[\p{L}\p{N}#_]/u;

/**
 * The best posts since the story began, those using its terms first. A post is ranked by its own
 * reach and engagement plus those of the kept posts that answer it or link to it: the post that
 * started a cascade comes before the large accounts that passed it on.
 */
export function topPosts(
  windows: readonly WindowEvidence[],
  channel: string,
  story: readonly string[],
  limit: number,
): ExplainedPost[] {
  const posts = new Map<string, EvidencePost>();
  for (const window of windows)
    for (const post of window.keys.get(channel)?.topPosts ?? [])
      if (!posts.has(post.id)) posts.set(post.id, post);
  const byUrl = new Map<string, string>();
  for (const post of posts.values()) if (post.url) byUrl.set(post.url, post.id);
  const credit = new Map<string, number>();
  for (const post of posts.values()) {
    const origins = new Set<string>();
    if (post.replyTo !== undefined && posts.has(post.replyTo)) origins.add(post.replyTo);
    for (const [url] of post.text.matchAll(LINK)) {
      const origin = byUrl.get(url.replace(/[.,;:!?)\]]+$/, ""));
      if (origin !== undefined) origins.add(origin);
    }
    origins.delete(post.id);
    for (const origin of origins) credit.set(origin, (credit.get(origin) ?? 0) + post.score);
  }
  return [...posts.values()]
    .map((post) => ({
      post,
      onStory: story.some((term) => uses(post.text, term)),
      rank: post.score + (credit.get(post.id) ?? 0),
    }))
    .sort((a, b) => Number(b.onStory) - Number(a.onStory) || b.rank - a.rank)
    .slice(0, limit)
    .map(({ post }) => explainedPost(post));
}
const LINK = /https?:\/\/[^\s<>"]+/g;

/** A kept post as a page quotes it: only http(s) links, the author by name. */
export function explainedPost(post: EvidencePost): ExplainedPost {
  const author = post.author?.name ?? post.author?.id;
  return {
    id: post.id,
    channel: post.channel,
    time: post.time,
    ...(post.url && isHttp(post.url) ? { url: post.url } : {}),
    ...(author ? { author } : {}),
    ...(post.author?.followers === undefined ? {} : { followers: post.author.followers }),
    engagement: { ...post.engagement },
    text: post.text,
  };
}

/** Only absolute http(s) URLs become links anywhere. */
export function isHttp(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
