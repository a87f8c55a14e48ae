// How a benchmark starts a script of this repository in a child process. `npm run bench` runs the
// benchmarks compiled by tsc into dist/, and their children run compiled too: that is the code users
// run (`npm start`, the `tocsin` bin). tsx, used when a benchmark file is run from source, wraps every
// function it creates in a naming helper (esbuild's keepNames): at 100k series that was ~40 % more
// detector heap and ~15 % more tick time than the compiled engine.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Whether this file runs compiled (dist/bench/lib/node-script.js) rather than through tsx. */
export const COMPILED = import.meta.url.endsWith(".js");

/** The repository's root (where package.json is), compiled or not. */
export const ROOT = resolve(here, COMPILED ? "../../.." : "../..");

/**
 * Node arguments that run `path` (repository-relative, without extension, e.g. "src/cli/main"): its
 * compiled .js under dist/ when compiled, else its .ts through tsx.
 */
export function nodeScript(path: string): string[] {
  return COMPILED ? [join(ROOT, "dist", `${path}.js`)] : ["--import", "tsx", join(ROOT, `${path}.ts`)];
}
