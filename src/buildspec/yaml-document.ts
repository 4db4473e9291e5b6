import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  LineCounter,
  type Node,
  parseAllDocuments,
  visit,
  type YAMLError,
} from "yaml";
import { err, ok, type Result } from "../lib/result.js";
import { pathAtOffset } from "./node-path.js";
import { errorAt, issueAt, offsetOf, type ParseContext } from "./parse-context.js";
import type { BuildspecIssue } from "./types.js";
import { describeNode, isNullNode } from "./yaml-nodes.js";

/** A buildspec's YAML, ready for the key-by-key readers. */
export interface LoadedBuildspecDocument {
  /** Holds the document-level problems that do not stop reading (duplicate keys, bad aliases). */
  readonly ctx: ParseContext;
  /** The top-level mapping. */
  readonly root: Node;
}

/**
 * Parses the YAML of a buildspec. Every scalar stays a string with its literal text (the
 * failsafe schema: `3.10` is "3.10", `true` is "true"; quoted scalars are unescaped as usual).
 * YAML that cannot be read reliably (syntax errors, tags such as `!Ref`, a second document, an
 * empty file, a root that is not a mapping) is returned as errors; duplicate keys and aliases
 * without an anchor (an unquoted `*.jar`) are recorded in the context and reading goes on.
 */
export function loadBuildspecDocument(text: string): Result<LoadedBuildspecDocument, BuildspecIssue[]> {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { schema: "failsafe", lineCounter, uniqueKeys: false });
  const doc = docs[0];
  if (doc === undefined || isNullNode(doc.contents as Node | null)) {
    return err([
      issueAt(
        lineCounter,
        "error",
        0,
        "",
        "the buildspec is empty; it needs at least version: 0.2 and a phases section",
      ),
    ]);
  }
  const at: At = (offset, message) =>
    issueAt(lineCounter, "error", offset, pathAtOffset(doc.contents as Node, offset), message);
  const fatal = syntaxIssues(doc, at);
  const second = docs.slice(1).find((other) => !isNullNode(other.contents as Node | null));
  if (second !== undefined) {
    fatal.push(
      issueAt(
        lineCounter,
        "error",
        second.range[0],
        "",
        "a buildspec is one YAML document, but a second document starts here (after ---); remove the --- line and everything after it, or move it to its own file",
      ),
    );
  }
  if (fatal.length > 0) return err(fatal);
  const root = doc.contents as Node;
  if (!isMap(root)) {
    return err([
      at(
        offsetOf(root),
        `the buildspec must be a YAML mapping of keys (version:, phases:, ...), found ${describeNode(root)}`,
      ),
    ]);
  }
  const ctx: ParseContext = { doc, lineCounter, errors: [], warnings: [] };
  reportAliasesAndDuplicates(ctx);
  return ok({ ctx, root });
}

type At = (offset: number, message: string) => BuildspecIssue;

/**
 * YAML errors and tag warnings as issues. The `yaml` package keeps parsing after an error and
 * reports follow-on errors; only the first is the real cause, except for tabs, which are
 * reported on every line because each needs fixing.
 */
function syntaxIssues(doc: Document.Parsed, at: At): BuildspecIssue[] {
  const errors = doc.errors.filter((error) => error.code !== "BAD_ALIAS");
  const tabs = errors.filter((error) => error.code === "TAB_AS_INDENT");
  const shown = tabs.length > 0 ? tabs : errors.slice(0, 1);
  const issues = shown.map((error) => syntaxIssue(doc, error, at));
  for (const warning of doc.warnings) {
    if (warning.code !== "TAG_RESOLVE_FAILED") continue;
    const tag = /Unresolved tag: (\S+)/u.exec(warning.message)?.[1] ?? "tag";
    // CloudFormation's short-form intrinsics (!Ref, !GetAtt, !Sub, ...) are local tags in capitals.
    const why = /^![A-Z]/u.test(tag)
      ? "this looks like a CloudFormation template, not a buildspec (point the project at the buildspec file, or remove the tag)"
      : "remove it: buildspec values are plain strings";
    issues.push(at(warning.pos[0], `the YAML tag ${tag} is not allowed in a buildspec; ${why}`));
  }
  return issues;
}

function syntaxIssue(doc: Document.Parsed, error: YAMLError, at: At): BuildspecIssue {
  const yamlMessage = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/u, "");
  const offset = error.pos[0];
  switch (error.code) {
    case "TAB_AS_INDENT":
      return at(offset, "found a tab character that cannot start any token; indent with spaces");
    case "MISSING_CHAR":
      if (yamlMessage.includes("quote")) return unclosedQuote(doc, offset, at);
      return at(offset, `invalid YAML: ${yamlMessage}; ${indentationHint}`);
    case "BAD_INDENT":
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
    case "UNEXPECTED_TOKEN":
      return at(offset, `invalid YAML: ${yamlMessage}; ${indentationHint}`);
    case "BAD_SCALAR_START":
      return at(offset, `invalid YAML: ${yamlMessage}; quote the whole value`);
    default:
      return at(offset, `invalid YAML: ${yamlMessage}`);
  }
}

const indentationHint =
  "check this line's indentation against the lines above (items of one list or mapping start in the same column) and quote values that contain ': '";

/** Points an unclosed quote at where the quoted value opens, not at the end of the file. */
function unclosedQuote(doc: Document.Parsed, offset: number, at: At): BuildspecIssue {
  let opening: { start: number; quote: string } | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const range = node.range;
      if (!range || range[0] > offset || range[2] < offset) return;
      if (node.type === "QUOTE_DOUBLE") opening = { start: range[0], quote: '"' };
      if (node.type === "QUOTE_SINGLE") opening = { start: range[0], quote: "'" };
    },
  });
  const quote = opening?.quote ?? "quote";
  return at(
    opening?.start ?? offset,
    `this value opens with ${quote} but never closes it, so the rest of the file became part of it; add the closing ${quote} at the end of the value`,
  );
}

/**
 * Aliases whose anchor does not exist (an unquoted `*.jar` is an alias in YAML) and keys written
 * twice in one mapping. Both are errors, but the rest of the file can still be read.
 */
function reportAliasesAndDuplicates(ctx: ParseContext): void {
  visit(ctx.doc, {
    Alias(_key, node) {
      if (node.resolve(ctx.doc) !== undefined) return;
      const written = `*${node.source}`;
      errorAt(
        ctx,
        node,
        pathAtOffset(ctx.doc.contents as Node, offsetOf(node)),
        `${written} is read as a YAML alias because it starts with *; quote it: '${written}'`,
      );
    },
    Map(_key, map) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        const key = pair.key as Node | null;
        if (key === null || !isScalar(key) || isAlias(key)) continue;
        const name = String(key.value);
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, key);
          continue;
        }
        const line = ctx.lineCounter.linePos(offsetOf(first)).line;
        errorAt(
          ctx,
          key,
          pathAtOffset(ctx.doc.contents as Node, offsetOf(key)),
          `duplicate key "${name}": it is already defined at line ${line}; a key may appear once per mapping, so merge the two`,
        );
      }
    },
  });
}
