// The errors a config text is refused with, one file:line:col line each ([] when it is accepted).
import { parseConfig } from "../../src/config/load.js";
import { LocatedError } from "../../src/util/located-error.js";

export function configErrors(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, "tocsin.yaml", env);
  } catch (error) {
    if (error instanceof LocatedError) return error.message.split("\n");
    throw error;
  }
  return [];
}
