// Pipeline throughput: NDJSON bytes → parse, validate, deduplicate, classify, aggregate, store, through
// the real Engine, against the JSON.parse-only floor on the same bytes, measured alternately in the same
// run (ratios, not absolute speeds, are what compare across noisy machines). Then how the cost grows
// with the number of series keys and with the corpus size.
// Usage: npm run bench -- --only pipeline [--size small|full]
import { runBench } from "./lib/cli.js";
import type { Corpus, CorpusOptions } from "./lib/corpus-mentions.js";
import type { StageProfile } from "./lib/cpu-stages.js";
import { buildCorpus } from "./lib/corpus-mentions.js";
import { profileStages } from "./lib/cpu-stages.js";
import type { Figure } from "./lib/figure.js";
import type { Alternated } from "./lib/pipeline-measure.js";
import { alternate, collectGarbage, runPipeline } from "./lib/pipeline-measure.js";

const COMMAND = "npm run bench -- --only pipeline";
const FLOOR = "JSON.parse floor (same bytes)";
const UNIT = "mentions/s";
const ENGINE_NOTE =
  "Per CPU-second of the process (user + system: one core's work; wall-clock rates in details). One core, the real Engine with the embedded memory store (no InfluxDB), no rules loaded, no snapshot; " +
  "each repetition builds a fresh engine and ends with flush(). Floor and pipeline alternate, after a warm-up of each; medians. " +
  "Mentions are the demo scenario's (texts, authors, replies), 1,000 per 5-minute window of event time, in NDJSON chunks of 1,000 lines";

/** Brands for about 100, 1k and 10k series keys (9 keys a brand: 8 channels and `all`). */
const SERIES_BRANDS = { "1x": 11, "10x": 111, "100x": 1_111 } as const;

const SIZES = {
  small: {
    mentions: 5_000,
    lexicon: 1_000,
    repeats: 2,
    lexiconRepeats: 1,
    corpus: [500, 5_000, 20_000],
    corpusRepeats: [1, 1, 1],
  },
  full: {
    mentions: 200_000,
    lexicon: 50_000,
    repeats: 5,
    lexiconRepeats: 3,
    corpus: [10_000, 100_000, 1_000_000],
    // The 1M-mention corpus runs once (after a warm-up): a single pass is already long and steady.
    corpusRepeats: [5, 3, 1],
  },
} as const;

await runBench(async ({ size }) => {
  const plan = SIZES[size];
  const figures: Figure[] = [];

  const { measured: provider, stages } = await measureProfiled(
    { mentions: plan.mentions, brands: SERIES_BRANDS["1x"], providerSentiment: true },
    plan.repeats,
  );
  figures.push(
    figure("pipeline.provider", "Pipeline throughput, provider sentiment", provider, {
      target: { op: ">=", value: 500_000, unit: UNIT },
      ratioTarget: { op: ">=", value: 0.5, unit: "× floor" },
    }),
  );
  figures.push(stagesFigure(provider, stages));

  const lexicon = measure(
    { mentions: plan.lexicon, brands: SERIES_BRANDS["1x"], providerSentiment: false },
    plan.lexiconRepeats,
  );
  figures.push(
    figure(
      "pipeline.lexicon",
      "Pipeline throughput, lexicon classification (no provider sentiment)",
      lexicon,
      {
        notes:
          "the text is scored by the French/English lexicon after a language guess; see classify.lexicon",
      },
    ),
  );

  // Same corpus, more brands: the mentions are the same, the windows each emit a row per known key.
  for (const scale of ["1x", "10x", "100x"] as const) {
    const result =
      scale === "1x"
        ? provider
        : measure(
            { mentions: plan.mentions, brands: SERIES_BRANDS[scale], providerSentiment: true },
            plan.repeats,
          );
    figures.push(
      figure(`pipeline.series.${scale}`, `Pipeline throughput, ${scale} series keys`, result, {
        notes: `${scale === "1x" ? "same measurement as pipeline.provider. " : ""}Mentions as pipeline.provider, spread over ${SERIES_BRANDS[scale]} brands`,
      }),
    );
  }

  // Same brands, more mentions at the same event-time rate: a longer replay.
  plan.corpus.forEach((mentions, i) => {
    const scale = ["1x", "10x", "100x"][i] as string;
    const result = measure(
      { mentions, brands: SERIES_BRANDS["1x"], providerSentiment: true },
      plan.corpusRepeats[i] as number,
    );
    figures.push(
      figure(
        `pipeline.corpus.${scale}`,
        `Pipeline throughput, ${scale} corpus (${mentions.toLocaleString("en-US")} mentions)`,
        result,
        {},
      ),
    );
  });
  return figures;
});

interface Measured {
  corpus: Omit<Corpus, "chunks">;
  result: Alternated;
}

function measure(options: CorpusOptions, repeats: number): Measured {
  return measureCorpus(buildCorpus(options), repeats);
}

/**
 * measure, then one more pass of the same corpus under the sampling profiler: the profile behind the
 * ratio. The corpus is let go on return, before the next measurement.
 */
async function measureProfiled(
  options: CorpusOptions,
  repeats: number,
): Promise<{ measured: Measured; stages: StageProfile }> {
  const corpus = buildCorpus(options);
  const measured = measureCorpus(corpus, repeats);
  const stages = await profileStages(() => void runPipeline(corpus.chunks));
  return { measured, stages };
}

function measureCorpus({ chunks, ...corpus }: Corpus, repeats: number): Measured {
  const result = alternate(chunks, corpus.mentions, repeats);
  collectGarbage();
  return { corpus, result };
}

/** The pipeline's CPU per mention shared out by stage, beside the floor's, from the same run. */
function stagesFigure({ corpus, result }: Measured, { shares, samples }: StageProfile): Figure {
  const perMention = 1e6 / result.pipeline;
  const details: Record<string, string | number> = {};
  for (const [stage, share] of shares)
    details[stage] = `${(share * perMention).toFixed(2)} µs (${Math.round(share * 100)} %)`;
  return {
    id: "pipeline.stages",
    title: "Pipeline CPU per mention by stage (provider sentiment, 1x series keys)",
    value: perMention,
    unit: "µs CPU/mention",
    command: COMMAND,
    details: {
      "JSON.parse floor µs/mention": (1e6 / result.floor).toFixed(2),
      ...details,
      "profile samples": samples,
      mentions: corpus.mentions,
    },
    notes:
      "Total: the median CPU time per mention of pipeline.provider. Its shares come from one more pass of the same corpus under V8's sampling profiler (node:inspector, 100 µs interval), each sample counted for the stage of the innermost engine frame on its stack (a regular expression or builtin counts for its caller); see bench/lib/cpu-stages.ts",
  };
}

function figure(
  id: string,
  title: string,
  { corpus, result }: Measured,
  extra: Pick<Figure, "target" | "ratioTarget" | "notes">,
): Figure {
  return {
    id,
    title,
    value: result.pipeline,
    unit: UNIT,
    ...(extra.target ? { target: extra.target } : {}),
    comparison: { against: FLOOR, value: result.floor, ratio: result.ratio },
    ...(extra.ratioTarget ? { ratioTarget: extra.ratioTarget } : {}),
    command: COMMAND,
    details: {
      mentions: corpus.mentions,
      "bytes/mention": Math.round(corpus.bytes / corpus.mentions),
      "series keys": corpus.seriesKeys,
      "5-min windows": corpus.windows,
      repetitions: result.repeats,
      "wall-clock mentions/s": result.wallPipeline,
      "wall-clock floor/s": result.wallFloor,
    },
    notes: [ENGINE_NOTE, extra.notes].filter(Boolean).join(". "),
  };
}
