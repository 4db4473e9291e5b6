/**
 * Glob patterns as CodePipeline reads them in trigger filters (user guide, "Working with glob
 * patterns in syntax", which follows Java's PathMatcher "glob" syntax):
 *  - `*` matches zero or more characters of a name, not crossing `/`;
 *  - `**` matches zero or more characters across `/`;
 *  - `?` matches one character of a name;
 *  - `[abc]`, `[a-z]`, `[!a-z]` match one character of (or not of) a set; inside brackets `*`,
 *    `?` and `\` stand for themselves;
 *  - `{java,class}` matches either alternative (no nesting);
 *  - `\` escapes the next character.
 * The whole string must match: `*.java` matches `Main.java` but not `src/Main.java`, and
 * `**\/README.md` needs at least one directory before `README.md`, as in Java.
 */
export function compileGlob(pattern: string): RegExp {
  let out = "";
  let i = 0;
  let inGroup = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) {
      out += escapeChar(pattern[i + 1]!);
      i += 2;
    } else if (c === "*") {
      if (pattern[i + 1] === "*") {
        out += ".*";
        i += 2;
      } else {
        out += "[^/]*";
        i++;
      }
    } else if (c === "?") {
      out += "[^/]";
      i++;
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) {
        out += "\\[";
        i++;
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      out += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/gu, "\\$&")}]`;
      i = end + 1;
    } else if (c === "{" && !inGroup) {
      out += "(?:";
      inGroup = true;
      i++;
    } else if (c === "}" && inGroup) {
      out += ")";
      inGroup = false;
      i++;
    } else if (c === "," && inGroup) {
      out += "|";
      i++;
    } else {
      out += escapeChar(c);
      i++;
    }
  }
  if (inGroup) out += ")";
  return new RegExp(`^${out}$`, "su");
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/u.test(c) ? `\\${c}` : c;
}

/** Whether a value passes include/exclude patterns: excludes win; no includes means all. */
export function passesFilter(
  value: string,
  criteria: { includes?: readonly string[]; excludes?: readonly string[] },
): boolean {
  const matches = (patterns: readonly string[]) => patterns.some((p) => compileGlob(p).test(value));
  if (criteria.excludes?.length && matches(criteria.excludes)) return false;
  return !criteria.includes?.length || matches(criteria.includes);
}
