/** The command lines of the first `sh` block under `## Quick start` (comments dropped). */
export function quickStartCommands(text: string): string[] {
  const section = text.split(/^## Quick start\s*$/mu)[1];
  if (section === undefined) throw new Error("README.md has no '## Quick start' section");
  const block = /```sh\n([\s\S]*?)```/u.exec(section)?.[1];
  if (block === undefined) throw new Error("README.md's Quick start has no sh block");
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/u, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
