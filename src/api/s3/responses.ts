import type { ObjectVersion } from "../../store/types.js";
import type { S3Error } from "./s3-errors.js";
import { escapeXml, type XmlNode, xmlDocument } from "./xml.js";

/** S3 sends this content type for objects stored without one. */
export const DEFAULT_CONTENT_TYPE = "binary/octet-stream";

export function xmlResponse(
  root: string,
  children: (XmlNode | undefined)[],
  headers: Headers | Record<string, string> = {},
): Response {
  const response = new Response(xmlDocument(root, ...children), { status: 200, headers });
  response.headers.set("content-type", "application/xml");
  return response;
}

export function emptyResponse(status: number, headers: Headers | Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

/** S3's timestamps: ISO 8601 with milliseconds in XML, RFC 7231 dates in headers. */
export const isoTime = (ms: number) => new Date(ms).toISOString();
export const httpDate = (ms: number) => new Date(ms).toUTCString();

/** The headers GetObject and HeadObject describe a version with. */
export function objectHeaders(version: ObjectVersion, versioned: boolean): Headers {
  const headers = new Headers({
    etag: version.etag,
    "last-modified": httpDate(version.lastModified),
    "content-type": version.contentType ?? DEFAULT_CONTENT_TYPE,
    "accept-ranges": "bytes",
  });
  if (versioned) headers.set("x-amz-version-id", version.versionId);
  for (const [name, value] of Object.entries(version.metadata))
    headers.set(`x-amz-meta-${name}`, headerSafe(value));
  return headers;
}

/**
 * A metadata value as an HTTP header can carry it. Values that came in as headers always fit;
 * one stored by other means may hold characters beyond Latin-1, which S3 sends RFC 2047-encoded.
 */
function headerSafe(value: string): string {
  if (/^[\t\u0020-\u007e\u0080-\u00ff]*$/u.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value).toString("base64")}?=`;
}

/** S3's error document; HEAD answers carry no body, only the status and headers. */
export function errorResponse(error: S3Error, resource: string, requestId: string, method: string): Response {
  const headers = new Headers(error.headers);
  if (method === "HEAD") return new Response(null, { status: error.status, headers });
  const details = Object.entries(error.details)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join("");
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code>` +
    `<Message>${escapeXml(error.message)}</Message>${details}` +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${escapeXml(requestId)}</RequestId></Error>`;
  headers.set("content-type", "application/xml");
  return new Response(body, { status: error.status, headers });
}
