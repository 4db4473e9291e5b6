import { XMLParser, XMLValidator } from "fast-xml-parser";
import { err, ok, type Result } from "../lib/index.js";

/**
 * XML parsing shared by the XML report formats: one element becomes an object whose
 * attributes are plain keys (strings, never converted to numbers), whose text (CDATA
 * included) is `#text`, and whose child elements are always arrays.
 */
export type XmlElement = { readonly [key: string]: XmlElement[] | string | undefined };

const TEXT = "#text";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: TEXT,
  alwaysCreateTextNode: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Decodes numeric character references (pytest writes newlines in attributes as &#10;).
  htmlEntities: true,
  // Every element is an array, so callers never branch on "one child or many".
  isArray: (_name, _path, _isLeafNode, isAttribute) => !isAttribute,
});

/** Parses `xml`, failing with the parser's message and position for malformed input. */
export function parseXml(xml: string): Result<XmlElement, string> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return err(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  try {
    return ok(parser.parse(xml) as XmlElement);
  } catch (cause) {
    return err(`malformed XML: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** The child elements named `name` (empty when there are none). */
export function children(element: XmlElement, name: string): XmlElement[] {
  const value = element[name];
  return Array.isArray(value) ? value : [];
}

/** An attribute's value. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const value = element[`@${name}`];
  return typeof value === "string" ? value : undefined;
}

/** The element's own text (CDATA included), trimmed; "" when it has none. */
export function text(element: XmlElement): string {
  const value = element[TEXT];
  return typeof value === "string" ? value.trim() : "";
}

/** The names of the element's child elements, in first-seen order. */
export function childNames(element: XmlElement): string[] {
  return Object.keys(element).filter((key) => key !== TEXT && !key.startsWith("@"));
}

/** Seconds as written in a report (`1.5`, `1,234.5`, missing) to whole nanoseconds. */
export function secondsToNanos(value: string | undefined): number {
  if (value === undefined) return 0;
  const seconds = Number.parseFloat(value.replaceAll(",", ""));
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1e9) : 0;
}

/** Cuts `value` to CodeBuild's limit for the field. */
export function cut(value: string, limit: number): string {
  return value.length <= limit ? value : value.slice(0, limit);
}
