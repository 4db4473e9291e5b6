import { apiError } from "../errors.js";

/** CodeCommit's FileModeTypeEnum and git's modes for them. */
export const FILE_MODES = { NORMAL: "100644", EXECUTABLE: "100755", SYMLINK: "120000" } as const;
export type FileMode = keyof typeof FILE_MODES;

/** The FileModeTypeEnum of a blob's git mode (`100664`, which old gits wrote, reads as NORMAL). */
export function fileModeOf(gitMode: string): FileMode {
  if (gitMode === FILE_MODES.EXECUTABLE) return "EXECUTABLE";
  if (gitMode === FILE_MODES.SYMLINK) return "SYMLINK";
  return "NORMAL";
}

export function isFileMode(value: string): value is FileMode {
  return Object.hasOwn(FILE_MODES, value);
}

/**
 * A path as CodeCommit takes it (`/examples/file.md` or `examples/file.md`) made relative to the
 * root of the tree: one leading `/` is dropped, and for folders a trailing one too (`""` is the
 * root). Every path that could leave the tree or name something git does not store is refused
 * with InvalidPathException naming the path: `.` and `..` components, empty components (`a//b`),
 * `.git` components, NUL and other control characters.
 */
export function cleanPath(raw: string, options: { folder?: boolean; field: string }): string {
  let path = raw.startsWith("/") ? raw.slice(1) : raw;
  if (options.folder && path.endsWith("/")) path = path.slice(0, -1);
  if (path === "") {
    if (options.folder) return "";
    throw invalidPath(raw, options.field, "it names the root folder, not a file");
  }
  if (hasControlCharacter(path)) throw invalidPath(raw, options.field, "it contains a control character");
  for (const part of path.split("/")) {
    if (part === "")
      throw invalidPath(raw, options.field, "it has an empty component ('//' or a trailing '/')");
    if (part === "." || part === "..") throw invalidPath(raw, options.field, `it has a '${part}' component`);
    if (part.toLowerCase() === ".git") throw invalidPath(raw, options.field, "it has a '.git' component");
  }
  if (Buffer.byteLength(path) > 4096) throw invalidPath(raw, options.field, "it is longer than 4096 bytes");
  return path;
}

/** A required path member: PathRequiredException when absent or empty. */
export function requirePath(raw: string | undefined, options: { folder?: boolean; field: string }): string {
  if (raw === undefined || raw === "") {
    throw apiError("PathRequiredException", `A ${options.field} is required, but was not specified.`);
  }
  return cleanPath(raw, options);
}

function invalidPath(raw: string, field: string, why: string) {
  return apiError(
    "InvalidPathException",
    `The specified ${field} '${raw.slice(0, 300)}' is not valid: ${why}. Use a path relative to the root of the repository, such as src/index.js or /src/index.js.`,
  );
}

/** `dir/sub` for `dir/sub/file`, `""` for a file at the root. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** Whether `text` has a C0 control character or DEL (which no path or ref name may hold). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
