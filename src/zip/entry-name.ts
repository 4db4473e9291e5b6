import { err, ok, type Result } from "../lib/index.js";

/**
 * The safe form of a zip entry name: a relative posix path without `.`/empty segments and
 * without a trailing slash (`""` for a name that denotes the archive root, like `./`). Refused,
 * with the reason: absolute names, `..` segments, backslashes (Windows separators and the
 * `a\..\..\x` trick both), drive letters (`C:x`) and NUL characters. The writer and the
 * extractor both use it, so we never write a name we would refuse to read.
 */
export function normalizeEntryName(name: string): Result<string, string> {
  if (name.includes("\0")) return err("contains a NUL character");
  if (name.includes("\\")) return err("contains a backslash");
  if (/^[A-Za-z]:/u.test(name)) return err("starts with a drive letter");
  if (name.startsWith("/")) return err("is an absolute path");
  const segments = name.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) return err("contains a '..' segment");
  return ok(segments.join("/"));
}
