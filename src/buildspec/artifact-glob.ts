import { err, ok, type Result } from "../lib/index.js";

/**
 * CodeBuild's file patterns (`artifacts.files`, `exclude-paths`, `reports.*.files`,
 * `cache.paths`; spec/buildspec.md §3.6), compiled for matching posix paths.
 *
 * Syntax: `*` any run of characters within one path component, `?` one character, `[abc]`,
 * `[a-z]`, `[!a]`/`[^a]` character classes, `\x` a literal x, and `**` as a whole component
 * for any number (zero included) of components: `**\/*` is everything, `dir/*` the files
 * directly in dir, `dir/**\/*` everything below dir. `**` inside a component (`a**b`) acts as
 * `*`. Wildcards match names starting with a dot too (CodeBuild's agent is Go, whose matchers
 * do not hide dotfiles).
 *
 * A pattern without wildcards is a *plain path*: it matches that file and, when it names a
 * directory, every file below it (`files: dist` ships the directory's contents). The matcher
 * only sees file paths, so this is `path === p || path.startsWith(p + "/")`. Decision: AWS
 * documents plain paths for single files only; including a named directory's contents is what
 * users expect from `files: [dist]` and what `exclude-paths: [node_modules]` needs.
 *
 * Normalization: `./` and empty components are dropped and a trailing `/` is ignored (`dist/`
 * is the plain path `dist`). A leading `/` makes the pattern absolute; `..` is kept (callers
 * decide whether the pattern may leave its base directory).
 */
export interface ArtifactPattern {
  /** The pattern as written. */
  readonly source: string;
  /** The normalized pattern. */
  readonly pattern: string;
  readonly absolute: boolean;
  /**
   * The leading components without wildcards, unescaped (`dist/js` for `dist/js/*.js`,
   * `/root/.m2` for `/root/.m2/**\/*`, `""` when the first component has a wildcard). For a
   * plain path, the whole path.
   */
  readonly literalPrefix: string;
  readonly plainPath: boolean;
  /** How many components below literalPrefix a match can have (Infinity with `**`, 0 for a plain path). */
  readonly depthBelowPrefix: number;
  /** Whether a file path (relative like the pattern, or absolute for an absolute pattern) matches. */
  matches(path: string): boolean;
  /** Whether a file path relative to literalPrefix matches. */
  matchesBelowPrefix(path: string): boolean;
}

/**
 * Compiles one pattern. Fails (with a message naming the pattern) for an empty pattern and for
 * an unterminated character class.
 */
export function compileArtifactPattern(source: string): Result<ArtifactPattern, string> {
  const absolute = source.startsWith("/");
  const segments = source.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.length === 0 && !absolute && source.trim() === "")
    return err(`empty file pattern '${source}'`);
  const firstWild = segments.findIndex(hasWildcard);
  const literalCount = firstWild < 0 ? segments.length : firstWild;
  const literalSegments = segments.slice(0, literalCount).map(unescapeSegment);
  const literalPrefix = (absolute ? "/" : "") + literalSegments.join("/");
  const pattern = (absolute ? "/" : "") + segments.join("/");
  const base = { source, pattern, absolute, literalPrefix };
  if (firstWild < 0) {
    return ok({
      ...base,
      plainPath: true,
      depthBelowPrefix: 0,
      matches: (path) => isAtOrBelow(path, literalPrefix),
      matchesBelowPrefix: (path) => path === "",
    });
  }
  const rest = segments.slice(literalCount);
  const compiled = compileSegments(rest);
  if (!compiled.ok) return err(`file pattern '${source}': ${compiled.error}`);
  const regex = compiled.value;
  const matchesBelowPrefix = (path: string) => regex.test(path);
  return ok({
    ...base,
    plainPath: false,
    depthBelowPrefix: rest.includes("**") ? Number.POSITIVE_INFINITY : rest.length,
    matches: (path) => {
      const below = pathBelow(path, literalPrefix);
      return below !== undefined && below !== "" && matchesBelowPrefix(below);
    },
    matchesBelowPrefix,
  });
}

function isAtOrBelow(path: string, prefix: string): boolean {
  if (prefix === "" || prefix === "/") return path.startsWith(prefix);
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** `path` relative to `prefix` ("" when equal), or undefined when it is not below it. */
function pathBelow(path: string, prefix: string): string | undefined {
  if (prefix === "") return path;
  if (prefix === "/") return path.startsWith("/") ? path.slice(1) : undefined;
  if (path === prefix) return "";
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined;
}

function hasWildcard(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?" || c === "[") return true;
  }
  return false;
}

function unescapeSegment(segment: string): string {
  return segment.replace(/\\(.)/gu, "$1");
}

function compileSegments(segments: readonly string[]): Result<RegExp, string> {
  let source = "";
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === "**") {
      // Not last: any number of whole components, each with its slash. Last: anything below.
      source += last ? ".*" : "(?:[^/]+/)*";
      continue;
    }
    const compiled = compileSegment(segment);
    if (!compiled.ok) return compiled;
    source += compiled.value + (last ? "" : "/");
  }
  return ok(new RegExp(`^${source}$`, "u"));
}

function compileSegment(segment: string): Result<string, string> {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "\\" && i + 1 < segment.length) {
      out += escapeRegex(segment[++i]!);
    } else if (c === "*") {
      while (segment[i + 1] === "*") i++;
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const end = classEnd(segment, i);
      if (end < 0) return err(`unterminated character class in '${segment}'`);
      out += compileClass(segment.slice(i + 1, end));
      i = end;
    } else {
      out += escapeRegex(c);
    }
  }
  return ok(out);
}

/** Index of the `]` closing the class opened at `open`; a `]` right after `[` or `[!` is literal. */
function classEnd(segment: string, open: number): number {
  let i = open + 1;
  if (segment[i] === "!" || segment[i] === "^") i++;
  if (segment[i] === "]") i++;
  for (; i < segment.length; i++) {
    if (segment[i] === "\\") i++;
    else if (segment[i] === "]") return i;
  }
  return -1;
}

function compileClass(body: string): string {
  let negated = false;
  let i = 0;
  if (body[0] === "!" || body[0] === "^") {
    negated = true;
    i = 1;
  }
  let members = "";
  for (; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\" && i + 1 < body.length) members += escapeClassMember(body[++i]!);
    else if (c === "-" && members !== "" && i + 1 < body.length) members += "-";
    else members += escapeClassMember(c);
  }
  // A class never matches the separator.
  return negated ? `[^/${members}]` : `(?!/)[${members}]`;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/u.test(c) ? `\\${c}` : c;
}

function escapeClassMember(c: string): string {
  return /[\\\]^[-]/u.test(c) ? `\\${c}` : c;
}
