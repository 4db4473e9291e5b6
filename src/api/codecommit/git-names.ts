/**
 * Whether `name` is a branch name git accepts (git-check-ref-format(1) for `refs/heads/<name>`):
 * CodeCommit answers InvalidBranchNameException otherwise. At most 256 characters (the model's
 * BranchName).
 */
export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 256 || name === "@") return false;
  if (name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".")) return false;
  if (name.includes("..") || name.includes("//") || name.includes("@{")) return false;
  if (hasForbiddenCharacter(name)) return false;
  return name.split("/").every((part) => !part.startsWith(".") && !part.endsWith(".lock"));
}

/** Control characters, space, and `~ ^ : ? * [ \` never appear in a ref name. */
function hasForbiddenCharacter(name: string): boolean {
  for (const char of name) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || "~^:?*[\\".includes(char)) return true;
  }
  return false;
}
