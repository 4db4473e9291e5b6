/**
 * The header block a CGI program (here `git http-backend`) writes before its body (RFC 3875
 * §6): `Name: value` lines ended by an empty line, with `Status: 404 Not Found` standing for the
 * HTTP status line. git ends lines with CRLF; a bare LF is accepted too.
 */
export interface CgiHead {
  readonly status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
}

/** Headers that describe one hop of a connection: the HTTP server sets its own. */
const hopByHop = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer"]);

/**
 * Where the header block of `bytes` ends: the index of the first body byte, or -1 while the
 * empty line has not arrived yet.
 */
export function findCgiHeaderEnd(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    // "\n\n" or "\n\r\n": an empty line follows this line's end.
    if (bytes[i + 1] === 0x0a) return i + 2;
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

/** Parses a complete header block (without the body); throws on a line that is not a header. */
export function parseCgiHead(block: string): CgiHead {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const rawLine of block.split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`CGI response: malformed header line '${line.slice(0, 80)}'`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/u.test(name)) {
      throw new Error(`CGI response: malformed header name '${name.slice(0, 80)}'`);
    }
    if (name === "status") {
      const code = /^(\d{3})(?:\s|$)/u.exec(value);
      if (!code) throw new Error(`CGI response: malformed Status '${value.slice(0, 80)}'`);
      status = Number(code[1]);
      continue;
    }
    if (hopByHop.has(name)) continue;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  if (status < 200 || status > 599) throw new Error(`CGI response: status ${status} is not a final status`);
  return { status, headers };
}
