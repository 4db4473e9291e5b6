import { type Agent, request } from "node:http";
import { connect } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { FuzzRequest } from "./requests.js";

export interface FuzzAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Bytes a client library refuses (non-ASCII in a path) are sent percent-encoded instead. */
function clientPath(path: string): string {
  return path.replace(/[^\x21-\x7e]/gu, (c) =>
    [...Buffer.from(c, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

/** Sends one fuzz request and reads the answer (status 0: the server closed without one). */
export async function send(
  endpoint: URL,
  agent: Agent,
  r: FuzzRequest,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): Promise<FuzzAnswer> {
  if (r.raw) return sendRaw(endpoint, r.raw);
  const path = clientPath(r.path);
  let headers: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("latin1")]),
    ),
    host: endpoint.host,
  };
  if (r.sign && credentials) {
    try {
      const [pathname, query] = path.split("?", 2);
      const signed = await new SignatureV4({
        service: r.sign.service,
        region: "us-east-1",
        credentials,
        sha256: Sha256,
      }).sign({
        method: r.method,
        protocol: "http:",
        hostname: endpoint.hostname,
        port: Number(endpoint.port),
        path: pathname ?? "/",
        query: Object.fromEntries(new URLSearchParams(query ?? "")),
        headers,
        body: r.body,
      });
      headers = signed.headers as Record<string, string>;
    } catch {
      // The signer rejects some inputs (a malformed query): send the request unsigned.
    }
  }
  return new Promise((done, fail) => {
    const req = request(
      { host: endpoint.hostname, port: endpoint.port, method: r.method, path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", fail);
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      // The server may close a connection on framing it refuses; that is an answer, not a crash.
      if (error.code === "ECONNRESET" || error.code === "EPIPE" || error.code === "HPE_INVALID_CONSTANT")
        done({ status: 0, headers: {}, body: Buffer.alloc(0) });
      else fail(error);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer in 10 s to ${r.method} ${r.path}`)));
    req.end(r.body);
  });
}

function sendRaw(endpoint: URL, bytes: Buffer): Promise<FuzzAnswer> {
  return new Promise((done, fail) => {
    const socket = connect(Number(endpoint.port), endpoint.hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNRESET" || error.code === "EPIPE")
        done({ status: 0, headers: {}, body: Buffer.alloc(0) });
      else fail(error);
    });
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/u.exec(text)?.[1] ?? 0);
      const headEnd = text.indexOf("\r\n\r\n");
      const headers: Record<string, string> = {};
      for (const line of text
        .slice(0, headEnd < 0 ? text.length : headEnd)
        .split("\r\n")
        .slice(1)) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      done({ status, headers, body: Buffer.from(headEnd < 0 ? "" : text.slice(headEnd + 4), "latin1") });
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error("no answer in 10 s to a raw request")));
  });
}

/** What is wrong with an answer, or undefined: a 500, a stack trace, an error body in no protocol's shape. */
export function problemWith(r: FuzzRequest, a: FuzzAnswer): string | undefined {
  if (a.status >= 500 && a.status !== 501) return `status ${a.status}`;
  const text = a.body.toString("utf8");
  if (/\n\s+at .+\(.+:\d+:\d+\)/u.test(text)) return "a stack trace in the body";
  // Raw requests may be several on one connection (a body read as the next request): only the
  // first answer's status is checked.
  if (r.raw || a.status < 400 || a.body.length === 0 || r.method === "HEAD") return undefined;
  const type = String(a.headers["content-type"] ?? "");
  if (type.startsWith("application/x-amz-json") || type.startsWith("application/json")) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      if (typeof json.__type !== "string" && !Array.isArray(json.errors) && typeof json.message !== "string")
        return `a JSON error without __type: ${text.slice(0, 200)}`;
    } catch {
      return `an unparseable JSON error body: ${text.slice(0, 200)}`;
    }
    return undefined;
  }
  if (type.includes("xml"))
    return /<Error>[\s\S]*<Code>/u.test(text)
      ? undefined
      : `an XML error without Code: ${text.slice(0, 200)}`;
  if (type.startsWith("text/plain")) return undefined;
  if (a.status === 400 && type === "") return undefined; // node's own answer to framing it refuses
  return `an error body of content type '${type}': ${text.slice(0, 200)}`;
}
