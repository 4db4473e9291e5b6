import { randomUUID } from "node:crypto";
import { createApp } from "../../src/api/app.js";
import type { CredentialsResolver } from "../../src/api/s3/deps.js";
import { RAW_TARGET_HEADER } from "../../src/api/s3/request-target.js";
import { createS3FrontEnd } from "../../src/api/s3/s3-front-end.js";
import { createFakeClock } from "../../src/lib/clock.js";
import type { Logger } from "../../src/lib/logger.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";
import type { ObjectStore } from "../../src/store/types.js";

export interface S3Answer {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
}

export interface S3Send {
  headers?: Record<string, string>;
  body?: string | Uint8Array | AsyncIterable<Uint8Array>;
  /** Default: an unverified SigV4 header naming the s3 service, which is how the app routes here. */
  authorization?: string | null;
}

/**
 * The S3 front end in process: memory stores, a fake clock, no port, signatures not required
 * unless `resolveCredentials` is given. `send` passes the path as the raw request target, as
 * the server does, so keys like `a/../b` arrive as sent.
 */
export function createS3TestApi(
  options: { resolveCredentials?: CredentialsResolver; objects?: (store: ObjectStore) => ObjectStore } = {},
) {
  const clock = createFakeClock(Date.UTC(2026, 10, 22, 12, 0, 0));
  const stores = createMemoryStores();
  const logged: { message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info() {},
    warn() {},
    error: (message, fields) => {
      logged.push({ message, ...(fields ? { fields } : {}) });
    },
  };
  const objects = options.objects ? options.objects(stores.objects) : stores.objects;
  const s3 = createS3FrontEnd({
    objects,
    resolveCredentials: options.resolveCredentials ?? (async () => undefined),
    requireSignature: options.resolveCredentials !== undefined,
    defaultScope: { accountId: "123456789012", region: "us-east-1" },
    now: clock.now,
    newRequestId: randomUUID,
    logger,
  });
  const app = createApp({
    jsonServices: [],
    frontEnds: [s3],
    authenticator: { authenticate: () => ({ ok: true, principal: "test" }) },
    defaultScope: { accountId: "123456789012", region: "us-east-1" },
    maxBodyBytes: 1024,
    logger,
    now: clock.now,
    newRequestId: randomUUID,
    version: "test",
  });

  async function send(method: string, target: string, options: S3Send = {}): Promise<S3Answer> {
    const headers = new Headers(options.headers);
    if (options.authorization !== null && !headers.has("authorization")) {
      headers.set(
        "authorization",
        options.authorization ??
          "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261122/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
      );
    }
    headers.set(RAW_TARGET_HEADER, target);
    const body = options.body;
    const init: RequestInit & { duplex?: "half" } = { method, headers };
    if (body !== undefined) {
      init.body =
        typeof body === "string" || body instanceof Uint8Array
          ? body
          : ReadableStream.from(body as AsyncIterable<Uint8Array>);
      init.duplex = "half";
    }
    // The URL is only a fallback; the raw target header carries the path as sent.
    const response = await app(new Request(`http://pipewright.test${target.replace(/\.\./gu, "__")}`, init));
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, text: bytes.toString("utf8"), bytes };
  }

  return { app, send, clock, stores, logged };
}

/** The text of each `<name>` element in an XML answer, in order. */
export function xmlValues(xml: string, name: string): string[] {
  return Array.from(xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, "gu")), (m) => m[1]!);
}
