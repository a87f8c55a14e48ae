// What signal rules add to an explanation: for a spread rule, the shared story and the channels in the
// order they took it up; for an unanswered-complaints rule, the oldest complaints still waiting for a
// reply and how the brand answers lately. Their plain line replaces the volume sentence, which says
// nothing about a story's reach or a backlog.
import type { EvidencePost, SharedStory } from "../model/evidence.js";
import type { Explanation } from "../model/index.js";
import { explainedPost } from "./top-posts.js";
import { amount, secondsWords, spanWords } from "./plain-words.js";

/** What the engine measured for a signal rule at the alert's latest window. */
export type SignalDetail =
  | { kind: "spread"; withinMs: number; story: SharedStory | undefined }
  | {
      kind: "unanswered";
      /** The window end it was measured at. */
      at: number;
      olderThanMs: number;
      /** Only complaints younger than this counted. */
      withinMs: number;
      periodMs: number;
      count: number;
      oldest: readonly EvidencePost[];
      /** Share of the complaints due in the period that got a reply; median seconds to the first one. */
      responseRate: number;
      firstResponseSeconds: number;
    };

const hhmm = (time: number): string => new Date(time).toISOString().slice(11, 16);
const MAX_MARKERS_TOLD = 3;

export function withSignal(explanation: Explanation, detail: SignalDetail): Explanation {
  return detail.kind === "spread" ? withStory(explanation, detail) : withBacklog(explanation, detail);
}

/** "the same story (“bic pen”, forum.example/t/1) in 3 channels within 2 h: forum 10:05, blog 11:20, news 11:50 UTC". */
function withStory(
  explanation: Explanation,
  { withinMs, story }: Extract<SignalDetail, { kind: "spread" }>,
): Explanation {
  if (!story || story.channels.length === 0) return explanation;
  const markers = story.markers
    .slice(0, MAX_MARKERS_TOLD)
    .map((marker) => `“${marker}”`)
    .join(", ");
  const channels = story.channels.map(({ channel, at }) => `${channel} ${hhmm(at)}`).join(", ");
  return {
    ...explanation,
    story,
    plain: `the same story (${markers}) in ${story.channels.length} channel${story.channels.length === 1 ? "" : "s"} within ${spanWords(withinMs)}: ${channels} UTC`,
  };
}

/** "23 negative mentions unanswered for over 1 h, the oldest waiting for 3 h 10 min; 40% of the last 24 h's complaints answered, median first reply after 2 h". */
function withBacklog(
  explanation: Explanation,
  detail: Extract<SignalDetail, { kind: "unanswered" }>,
): Explanation {
  const oldest = detail.oldest[0];
  const since = oldest ? `, the oldest waiting for ${spanWords(detail.at - oldest.time)}` : "";
  const replies =
    detail.firstResponseSeconds > 0
      ? `, median first reply after ${secondsWords(detail.firstResponseSeconds)}`
      : ", no reply in that time";
  return {
    ...explanation,
    // The complaints to answer first: the oldest still waiting.
    posts: detail.oldest.map(explainedPost),
    plain:
      `${amount(detail.count)} negative mentions of the last ${spanWords(detail.withinMs)} unanswered for over ${spanWords(detail.olderThanMs)}${since}; ` +
      `${amount(detail.responseRate * 100)}% of the last ${spanWords(detail.periodMs)}'s complaints answered${replies}`,
  };
}
