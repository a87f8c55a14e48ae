// Text classification micro-benchmark (tinybench): the lexicon path of the classify stage, for
// mentions without a provider sentiment, so the language guess and the French/English lexicon scorer
// run. Mentions per CPU-second of one core, over the demo scenario's texts.
// Usage: npm run bench -- --only classify [--size small|full]
import { Bench } from "tinybench";
import { createClassifier, guessLanguage } from "../src/classify/index.js";
import { validateMention } from "../src/ingest/mention-schema.js";
import type { Mention } from "../src/model/index.js";
import { runBench } from "./lib/cli.js";
import { corpusMention } from "./lib/corpus-mentions.js";
import type { Figure } from "./lib/figure.js";

const COMMAND = "npm run bench -- --only classify";
const UNIT = "mentions/s";
/** Mentions classified per tinybench iteration: long enough for a CPU clock with µs resolution. */
const BATCH = 500;
/** Distinct mentions cycled through (the stemmer's memo sees a realistic variety of words). */
const POOL = 20_000;

const SIZES = {
  small: { time: 200, iterations: 10, pool: 2_000 },
  full: { time: 5_000, iterations: 64, pool: POOL },
} as const;

/** CPU time of this process in ms: a busy shared machine slows wall time, not the work done. */
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1_000;
};

await runBench(async ({ size }) => {
  const plan = SIZES[size];
  const tagged = pool(plan.pool, (raw) => raw);
  const untagged = pool(plan.pool, ({ lang: _lang, ...raw }) => raw);
  const taggedShare = tagged.filter((mention) => mention.lang !== undefined).length / tagged.length;
  const classify = createClassifier();
  const provider = pool(plan.pool, (raw) => ({ ...raw, sentiment: "negative" }));

  let sink = 0;
  const batches = (mentions: readonly Mention[], each: (mention: Mention) => number) => {
    let next = 0;
    return () => {
      for (let i = 0; i < BATCH; i++) {
        sink += each(mentions[next] as Mention);
        next = (next + 1) % mentions.length;
      }
    };
  };
  const score = (mention: Mention) => classify(mention).score;
  const bench = new Bench({
    time: plan.time,
    iterations: plan.iterations,
    now: cpuNow,
    warmupTime: plan.time / 5,
  });
  bench
    .add("lexicon", batches(tagged, score))
    .add("lexicon.untagged", batches(untagged, score))
    .add(
      "language",
      batches(untagged, (mention) => guessLanguage(mention.text).length),
    )
    .add("provider", batches(provider, score));
  await bench.run();
  if (sink === 0) throw new Error("nothing was classified");

  const rateOf = (name: string): { rate: number; rme: number } => {
    const task = bench.getTask(name);
    const result = task?.result;
    if (!result || !("latency" in result)) throw new Error(`classify bench ${name} did not complete`);
    return { rate: (BATCH * 1_000) / result.latency.mean, rme: result.latency.rme };
  };
  const lexicon = rateOf("lexicon");
  const untaggedRate = rateOf("lexicon.untagged");
  const language = rateOf("language");
  const providerRate = rateOf("provider");
  const note =
    "tinybench, CPU time of the process (user + system) as its clock, batches of 500 mentions cycling over " +
    `${plan.pool.toLocaleString("en-US")} demo-scenario mentions ` +
    "(French and English), after warm-up";
  const figure = (
    id: string,
    title: string,
    measured: { rate: number; rme: number },
    notes: string,
  ): Figure => ({
    id,
    title,
    value: measured.rate,
    unit: UNIT,
    command: COMMAND,
    details: {
      "batch mentions": BATCH,
      "distinct mentions": plan.pool,
      "relative margin of error %": measured.rme,
    },
    notes: `${note}. ${notes}`,
  });
  return [
    {
      ...figure(
        "classify.lexicon",
        "Text classification, lexicon path (no provider sentiment)",
        lexicon,
        `Language tags as the demo provider sends them (${Math.round(taggedShare * 100)}% tagged, the rest guessed), then the lexicon scorer`,
      ),
      target: { op: ">=", value: 100_000, unit: UNIT },
    },
    figure(
      "classify.lexicon.untagged",
      "Text classification, lexicon path, no language tag",
      untaggedRate,
      "Every language guessed from the text, then the lexicon scorer",
    ),
    figure(
      "classify.language",
      "Language guess alone (French/English)",
      language,
      "guessLanguage over the same texts",
    ),
    figure(
      "classify.provider",
      "Classification, provider sentiment",
      providerRate,
      "normalising the provider field, no text work",
    ),
  ];
});

/** `size` validated mentions of the demo corpus without provider sentiment, shaped by `shape`. */
function pool(size: number, shape: (raw: Record<string, unknown>) => Record<string, unknown>): Mention[] {
  const mentions: Mention[] = [];
  for (let n = 0; n < size; n++) {
    const raw = corpusMention(n, { mentions: size, brands: 1, providerSentiment: false });
    const validation = validateMention(shape({ ...raw }));
    if (!validation.ok) throw new Error(`corpus mention ${n}: ${validation.error}`);
    mentions.push(validation.mention);
  }
  return mentions;
}
