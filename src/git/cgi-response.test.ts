import { describe, expect, it } from "vitest";
import { findCgiHeaderEnd, parseCgiHead } from "./cgi-response.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("the CGI header block of git http-backend", () => {
  it("ends at the first empty line, with CRLF or bare LF line ends", () => {
    expect(findCgiHeaderEnd(bytes("Content-Type: a\r\n\r\nPACK"))).toBe(19);
    expect(findCgiHeaderEnd(bytes("Content-Type: a\n\nPACK"))).toBe(17);
    expect(findCgiHeaderEnd(bytes("Status: 200 OK\r\nExpires: x\r\n\r\n"))).toBe(30);
  });

  it("is not complete until the empty line has arrived", () => {
    expect(findCgiHeaderEnd(bytes("Content-Type: a\r\n"))).toBe(-1);
    expect(findCgiHeaderEnd(bytes("Content-Type: a\r\n\r"))).toBe(-1);
    expect(findCgiHeaderEnd(bytes(""))).toBe(-1);
  });

  it("reads the status from the Status header, 200 without one", () => {
    expect(parseCgiHead("Status: 404 Not Found\r\nContent-Type: text/plain\r\n")).toEqual({
      status: 404,
      headers: { "content-type": "text/plain" },
    });
    expect(parseCgiHead("Content-Type: application/x-git-upload-pack-advertisement\r\n").status).toBe(200);
    expect(parseCgiHead("status: 403\n").status).toBe(403);
  });

  it("keeps other headers under lower-case names, joins repeats and drops hop-by-hop ones", () => {
    const head = parseCgiHead(
      [
        "Expires: Fri, 01 Jan 1980 00:00:00 GMT",
        "Pragma: no-cache",
        "Cache-Control: no-cache, max-age=0, must-revalidate",
        "Cache-Control: private",
        "Transfer-Encoding: chunked",
        "Connection: close",
        "",
      ].join("\r\n"),
    );
    expect(head.headers).toEqual({
      expires: "Fri, 01 Jan 1980 00:00:00 GMT",
      pragma: "no-cache",
      "cache-control": "no-cache, max-age=0, must-revalidate, private",
    });
  });

  it("refuses lines that are not headers and statuses that are not final", () => {
    expect(() => parseCgiHead("PACK binary junk\r\n")).toThrow(/malformed header line/);
    expect(() => parseCgiHead("Bad Name: x\r\n")).toThrow(/malformed header name/);
    expect(() => parseCgiHead("Status: OK\r\n")).toThrow(/malformed Status/);
    expect(() => parseCgiHead("Status: 100 Continue\r\n")).toThrow(/not a final status/);
  });
});
