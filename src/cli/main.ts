#!/usr/bin/env node
// The `tocsin` command: subcommands are thin shells over the engine.
import { Command } from "commander";
import { registerBacktest } from "./backtest.js";
import { registerEvaluate } from "./evaluate.js";
import { registerNotify } from "./notify-test.js";
import { registerRender } from "./render.js";
import { registerRun } from "./run.js";
import { registerSchema } from "./schema.js";
import { registerValidate } from "./validate.js";

const program = new Command()
  .name("tocsin")
  .description("Crisis early-warning alerting: rings when negative talk about a brand starts to snowball.")
  .version("0.1.0");

registerRun(program);
registerValidate(program);
registerBacktest(program);
registerEvaluate(program);
registerSchema(program);
registerRender(program);
registerNotify(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`tocsin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
