/**
 * Just enough XML for S3's REST protocol: building responses, and reading the few small request
 * documents S3 takes (CreateBucketConfiguration, VersioningConfiguration, Delete,
 * CompleteMultipartUpload), whose elements are flat text and never nest the same name.
 */
export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => escapes[c]!);
}

/** An XML tree: an element is [name, children]; strings are text; undefined children are left out. */
export type XmlNode = string | number | boolean | readonly [string, readonly (XmlNode | undefined)[]];

export function element(name: string, ...children: (XmlNode | undefined)[]): XmlNode {
  return [name, children];
}

/** `name` with text, or nothing when `value` is undefined (an optional member). */
export function optional(name: string, value: string | number | boolean | undefined): XmlNode | undefined {
  return value === undefined ? undefined : [name, [value]];
}

function render(node: XmlNode): string {
  if (typeof node !== "object") return escapeXml(String(node));
  const [name, children] = node;
  const inner = children
    .filter((c) => c !== undefined)
    .map(render)
    .join("");
  return `<${name}>${inner}</${name}>`;
}

/** A whole document whose root carries S3's namespace. */
export function xmlDocument(root: string, ...children: (XmlNode | undefined)[]): string {
  const inner = children
    .filter((c) => c !== undefined)
    .map(render)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/gu, (_, e: string) =>
    e.startsWith("#x")
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith("#")
        ? String.fromCodePoint(Number.parseInt(e.slice(1), 10))
        : entities[e]!,
  );
}

/** The raw inner text of each `<name>…</name>` (or `<prefix:name …>`) in `xml`, in order. */
export function innerTexts(xml: string, name: string): string[] {
  const pattern = new RegExp(
    `<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>`,
    "gu",
  );
  return Array.from(xml.matchAll(pattern), (m) => m[1]!);
}

/**
 * The unescaped text of the first `<name>` element; undefined when there is none. Not trimmed:
 * a key may begin or end with spaces.
 */
export function textOf(xml: string, name: string): string | undefined {
  const first = innerTexts(xml, name)[0];
  return first === undefined ? undefined : unescapeXml(first);
}
