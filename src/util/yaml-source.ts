// YAML with positions: parse once, keep the document, and turn a path in the data (from a schema
// issue) back into file:line:col. Also expands ${NAME} from the environment and ${file:/path} from a
// file, at the right position. Hostile files are refused here: larger than maxBytes, with a tag
// other than the plain core ones (no !!js/function, no !custom), or whose aliases expand too much.
import { readFileSync } from "node:fs";
import type { Document, Node, Pair } from "yaml";
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, visit } from "yaml";
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
  /** Values for ${NAME}; no expansion (of ${file:…} either) when absent. */
  env?: Record<string, string | undefined>;
  /** Reads a ${file:/path} reference (tests); fs.readFileSync by default. */
  readFile?: (path: string) => string;
}

/** 1 MiB: rule and config files are a few kilobytes; anything near this is a mistake or an attack. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** The yaml library's own default: ample for `<<: *defaults` style reuse, far below a bomb. */
export const MAX_ALIAS_COUNT = 100;

/** Explicit tags that only restate what plain YAML means; every other tag is refused. */
const PLAIN_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((name) => `tag:yaml.org,2002:${name}`),
);

const REFERENCE = /\$\{(?:([A-Za-z_][A-Za-z0-9_]*)|file:([^}]+))\}/g;

/** Secret files hold a token or a password, not a document. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

export function parseYamlSource(text: string, file: string, options: YamlOptions = {}): YamlSource {
  const issues: LocatedIssue[] = [];
  const linePos = linePositions(text);
  const at = (offset: number, message: string): LocatedIssue => ({ file, ...linePos(offset), message });
  const maxBytes = options.maxBytes ?? MAX_YAML_BYTES;
  if (Buffer.byteLength(text) > maxBytes) return refused(file, `file is larger than ${maxBytes} bytes`);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // A pathological nesting depth can exhaust the stack: a refusal, not a crash.
    return refused(file, `cannot parse: ${(error as Error).message}`);
  }
  for (const error of [...doc.errors, ...doc.warnings]) {
    if (error.code === "TAG_RESOLVE_FAILED") continue; // reported below, with the reason
    issues.push(at(error.pos[0], error.message.split("\n")[0] ?? error.message));
  }
  visit(doc, {
    Node(_key, node) {
      if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag))
        issues.push(
          at(
            tagOffset(text, node.range?.[0] ?? 0),
            `tag ${shortTag(node.tag)} is not allowed: write plain YAML values`,
          ),
        );
    },
  });

  const env = options.env;
  if (env && issues.length === 0) {
    const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value !== "string" || !node.value.includes("${")) return;
        node.value = node.value.replace(
          REFERENCE,
          (_match, name: string | undefined, path: string | undefined) => {
            const position = node.range?.[0] ?? 0;
            if (path !== undefined)
              return secretFile(path.trim(), readFile, (message) => issues.push(at(position, message)));
            const value = env[name as string];
            if (value === undefined) issues.push(at(position, `environment variable ${name} is not set`));
            return value ?? "";
          },
        );
      },
    });
  }

  let data: unknown;
  if (issues.length === 0) {
    const maxAliasCount = options.maxAliasCount ?? MAX_ALIAS_COUNT;
    try {
      data = doc.toJS({ maxAliasCount });
    } catch (error) {
      // The library stops early (before anything is expanded) but says not where: point at the
      // alias that stands for the most nodes, which is where the expansion explodes.
      const worst = largestAlias(doc);
      issues.push(
        worst
          ? at(
              worst.offset,
              `aliases expand too much (*${worst.name} alone stands for ${worst.nodes} nodes; ` +
                `at most ${maxAliasCount} alias expansions are allowed): refused as a "billion laughs" file`,
            )
          : { file, line: 1, col: 1, message: (error as Error).message },
      );
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

function refused(file: string, message: string): YamlSource {
  return {
    file,
    data: undefined,
    issues: [{ file, line: 1, col: 1, message }],
    locate: () => ({ file, line: 1, col: 1, message: "" }),
  };
}

/** Where the tag before a node's value starts (the node's range begins after it). */
function tagOffset(text: string, valueOffset: number): number {
  let offset = text.lastIndexOf("!", valueOffset);
  if (offset === -1) return valueOffset;
  while (offset > 0 && !/[\s[{,:]/.test(text[offset - 1] ?? " ")) offset--;
  return offset;
}

/** A tag as it is written: !!name for the YAML namespace, !local as is, !<uri> for any other. */
const shortTag = (tag: string): string =>
  tag.startsWith("tag:yaml.org,2002:")
    ? `!!${tag.slice("tag:yaml.org,2002:".length)}`
    : tag.startsWith("!")
      ? tag
      : `!<${tag}>`;

/** The content of a ${file:/path} secret, one trailing newline dropped; problems reported, "" returned. */
function secretFile(
  path: string,
  readFile: (path: string) => string,
  report: (message: string) => void,
): string {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    report(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return "";
  }
  if (Buffer.byteLength(text) > MAX_SECRET_FILE_BYTES) {
    report(`${path} is larger than ${MAX_SECRET_FILE_BYTES} bytes; a secret file holds one value`);
    return "";
  }
  const value = text.replace(/\r?\n$/, "");
  if (value === "") report(`${path} is empty`);
  return value;
}

/** The alias whose expansion has the most nodes (sizes memoised, so this stays linear). */
function largestAlias(doc: Document.Parsed): { name: string; nodes: number; offset: number } | undefined {
  const sizes = new Map<unknown, number>();
  const size = (node: unknown): number => {
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 1); // a cycle (an alias inside its own anchor) counts once
    let total = 1;
    if (isAlias(node)) total = size(node.resolve(doc));
    else if (isPair(node)) total = size(node.key) + size(node.value);
    else if (isCollection(node)) total = 1 + node.items.reduce((sum: number, item) => sum + size(item), 0);
    sizes.set(node, total);
    return total;
  };
  let worst: { name: string; nodes: number; offset: number } | undefined;
  visit(doc, {
    Alias(_key, node) {
      const nodes = size(node);
      if (!worst || nodes > worst.nodes) worst = { name: node.source, nodes, offset: node.range?.[0] ?? 0 };
    },
  });
  return worst;
}

/**
 * 1-based line and column of an offset, from the text's own newlines. The yaml library's LineCounter
 * learns line starts from its lexer, which after some syntax errors (an unclosed flow collection)
 * reads several lines as one token and skips their starts: its positions then point past the end
 * of a line, or at the wrong one.
 */
function linePositions(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return (offset) => {
    const clamped = Math.min(Math.max(0, offset), text.length);
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, col: clamped - (starts[low] ?? 0) + 1 };
  };
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
