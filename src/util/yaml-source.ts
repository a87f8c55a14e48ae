// YAML with positions: parse once, keep the document, and turn a path in the data (from a schema
// issue) back into file:line:col. Also expands ${NAME} from the environment, at the right position.
import type { Node, Pair } from "yaml";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import type { LocatedIssue } from "./located-error.js";

export interface YamlSource {
  file: string;
  data: unknown;
  issues: LocatedIssue[];
  /** file:line:col of the node at `path`, or of its nearest existing parent. */
  locate(path: readonly PropertyKey[], options?: { key?: boolean }): LocatedIssue;
}

export interface YamlOptions {
  /** Refuse files larger than this many bytes. */
  maxBytes?: number;
  /** Alias expansion limit (the "billion laughs" defence of the yaml library). */
  maxAliasCount?: number;
  /** Values for ${NAME}; no expansion when absent. */
  env?: Record<string, string | undefined>;
}

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function parseYamlSource(text: string, file: string, options: YamlOptions = {}): YamlSource {
  const lineCounter = new LineCounter();
  const issues: LocatedIssue[] = [];
  const at = (offset: number, message: string): LocatedIssue => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, message };
  };
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  if (Buffer.byteLength(text) > maxBytes) {
    return {
      file,
      data: undefined,
      issues: [{ file, line: 1, col: 1, message: `file is larger than ${maxBytes} bytes` }],
      locate: () => ({ file, line: 1, col: 1, message: "" }),
    };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (const error of [...doc.errors, ...doc.warnings])
    issues.push(at(error.pos[0], error.message.split("\n")[0] ?? error.message));

  const env = options.env;
  if (env && issues.length === 0) {
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value !== "string" || !node.value.includes("${")) return;
        node.value = node.value.replace(ENV_REFERENCE, (_match, name: string) => {
          const value = env[name];
          if (value === undefined)
            issues.push(at(node.range?.[0] ?? 0, `environment variable ${name} is not set`));
          return value ?? "";
        });
      },
    });
  }

  let data: unknown;
  if (issues.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
    } catch (error) {
      issues.push({ file, line: 1, col: 1, message: (error as Error).message });
    }
  }

  const locate = (path: readonly PropertyKey[], locateOptions: { key?: boolean } = {}): LocatedIssue => {
    let node: Node | Pair | null | undefined = doc.contents;
    let best = node && "range" in node ? node.range?.[0] : 0;
    for (const segment of path) {
      const child = childOf(node, segment);
      if (!child) break;
      node = child;
      const range = isPair(child) ? (child.key as Node | null)?.range : child.range;
      if (range) best = range[0];
    }
    if (isPair(node) && !locateOptions.key) {
      const valueRange = (node.value as Node | null)?.range;
      if (valueRange) best = valueRange[0];
    }
    return at(best ?? 0, "");
  };

  return { file, data, issues, locate };
}

/** The pair (for maps, so the key position is known) or item (for sequences) under `segment`. */
function childOf(node: Node | Pair | null | undefined, segment: PropertyKey): Node | Pair | undefined {
  const container = isPair(node) ? (node.value as Node | null) : node;
  if (isMap(container)) {
    return container.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(segment));
  }
  if (isSeq(container) && typeof segment === "number")
    return (container.items[segment] as Node | undefined) ?? undefined;
  return undefined;
}
