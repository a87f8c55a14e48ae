// The import rules of design.md §1, checked on every `npm test` instead of remembered.
// Each stage may import model/ and util/ plus what its row of the table allows; telemetry imports
// nothing of ours; only engine.ts, api/ and cli/ see every stage.
const stage = (name) => `^src/${name}/`;
const ours = "^src/";
const allowed = (from, extra) => ({
  name: `${from}-imports`,
  comment: `src/${from}/ may import model/, util/${extra.length ? `, ${extra.join(", ")}` : ""} only`,
  severity: "error",
  from: { path: stage(from) },
  to: {
    path: ours,
    pathNot: [stage(from), stage("model"), stage("util"), ...extra.map(stage)],
  },
});

module.exports = {
  forbidden: [
    {
      name: "model-imports-nothing",
      severity: "error",
      from: { path: stage("model") },
      to: { path: ours, pathNot: stage("model") },
    },
    {
      name: "util-imports-nothing",
      severity: "error",
      from: { path: stage("util") },
      to: { path: ours, pathNot: stage("util") },
    },
    {
      name: "telemetry-imports-nothing-of-ours",
      severity: "error",
      from: { path: stage("telemetry") },
      to: { path: ours, pathNot: stage("telemetry") },
    },
    allowed("config", ["notify", "alerting", "store", "rules"]),
    allowed("ingest", []),
    allowed("classify", []),
    allowed("aggregate", []),
    allowed("store", []),
    allowed("detect", []),
    // Between detect and alerting: explains an alert from aggregate's evidence, handed over by the engine.
    allowed("explain", []),
    allowed("rules", ["detect"]),
    allowed("alerting", []),
    allowed("notify", []),
    {
      name: "backtest-is-a-shell-over-the-engine",
      comment: "src/backtest/ replays history through engine.ts like cli/ and api/; only they may import it",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(backtest|cli|api)/" },
      to: { path: "^src/backtest/" },
    },
    {
      name: "no-stage-imports-engine-api-or-cli",
      severity: "error",
      from: {
        path: "^src/(model|util|config|ingest|classify|aggregate|store|detect|explain|rules|alerting|notify|telemetry)/",
      },
      to: { path: "^src/(engine\\.ts|api/|cli/|backtest/)" },
    },
    {
      name: "examples-use-the-model-only",
      comment: "examples/ generate data in the Mention shape; they must not reach into the engine",
      severity: "error",
      from: { path: "^examples/" },
      to: { path: ours, pathNot: stage("model") },
    },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
