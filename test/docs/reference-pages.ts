import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const REFERENCE_DIR = resolve(import.meta.dirname, "../../docs/reference");

/** A reference page cut at its `## ` headings. */
export interface ReferencePage {
  readonly file: string;
  readonly title: string;
  /** The text between the title and the first section. */
  readonly summary: string;
  readonly sections: ReadonlyMap<string, string>;
  readonly text: string;
}

export function readPage(file: string): ReferencePage {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  const title = lines[0]?.startsWith("# ") ? lines[0].slice(2).trim() : "";
  const sections = new Map<string, string>();
  let current: string | undefined;
  const summary: string[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith("## ")) {
      current = line.slice(3).trim();
      sections.set(current, "");
    } else if (current === undefined) summary.push(line);
    else sections.set(current, `${sections.get(current)}${line}\n`);
  }
  return { file, title, summary: summary.join("\n").trim(), sections, text };
}

export function pagesIn(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".md"))
        .map((f) => f.slice(0, -3))
        .sort()
    : [];
}

/** The names of a section's bullets: "- `Name`: ..." (the first code span of each bullet line). */
export function bulletNames(section: string | undefined): string[] {
  return (section ?? "")
    .split("\n")
    .map((line) => /^- `([^`]+)`/u.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** Every code span of a section (a compact "`A`, `B`, `C`" list). */
export function codeSpans(section: string | undefined): string[] {
  return [...(section ?? "").matchAll(/`([^`]+)`/gu)].map((m) => m[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as `-`. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /gu, "-");
}

/** Relative links of a page whose target file, or heading (`#anchor`), does not exist. */
export function brokenLinks(page: ReferencePage): string[] {
  return [...page.text.matchAll(/\]\(([^)#\s]+)(?:#([^)\s]*))?\)/gu)]
    .filter((m) => !/^[a-z]+:/u.test(m[1]!))
    .filter(([, target, anchor]) => {
      const file = join(dirname(page.file), target!);
      if (!existsSync(file)) return true;
      if (anchor === undefined) return false;
      const headings = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => /^#{1,6} /u.test(line))
        .map((line) => headingAnchor(line.replace(/^#+ /u, "")));
      return !headings.includes(anchor);
    })
    .map((m) => m[0].slice(2, -1));
}
