// `tocsin schema`: writes rules/schema.json (editor autocompletion for rule files) from the code.
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { ruleJsonSchemaText } from "../rules/json-schema.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("write the JSON Schema of rule files (default rules/schema.json; - for stdout)")
    .option("-o, --out <file>", "where to write it", "rules/schema.json")
    .action(async (options: { out: string }) => {
      const text = ruleJsonSchemaText();
      if (options.out === "-") process.stdout.write(text);
      else await writeFile(options.out, text);
    });
}
