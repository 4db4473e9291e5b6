import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { decodeAwsChunked } from "../auth/aws-chunked.js";
import type { S3Credentials } from "./deps.js";
import { parseRequestTarget } from "./request-target.js";
import { authenticateS3, type S3Principal } from "./s3-auth.js";
import type { S3Error } from "./s3-errors.js";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const AKID = "AKIDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG";
const keys = new Map<string, S3Credentials>([
  [AKID, { secretAccessKey: SECRET }],
  ["ASIATEMP", { secretAccessKey: "temp-secret", sessionToken: "the-token", buckets: ["job-bucket"] }],
]);
const resolveCredentials = async (id: string) => keys.get(id);

/** Signs as the AWS SDK's S3 client does (path as sent, payload hash header). */
function signer(accessKeyId = AKID, secretAccessKey = SECRET, sessionToken?: string) {
  return new SignatureV4({
    service: "s3",
    region: "eu-west-1",
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    sha256: Sha256,
    uriEscapePath: false,
  });
}

const encodeQuery = (query: Record<string, string | string[] | null>) =>
  Object.entries(query)
    .map(([k, v]) => `${encode(k)}=${encode(String(v))}`)
    .join("&");
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

async function authenticate(
  request: {
    method: string;
    path: string;
    query?: Record<string, string | string[] | null>;
    headers: Record<string, string>;
  },
  options: { now?: number; requireSignature?: boolean } = {},
): Promise<S3Principal> {
  const rawQuery = request.query ? encodeQuery(request.query) : "";
  return authenticateS3({
    method: request.method,
    headers: new Headers(request.headers),
    target: parseRequestTarget(`${request.path}${rawQuery ? `?${rawQuery}` : ""}`, new URL("http://h/")),
    nowMs: options.now ?? NOW,
    requireSignature: options.requireSignature ?? true,
    resolveCredentials,
  });
}

async function refusal(promise: Promise<unknown>): Promise<S3Error> {
  return promise.then(
    () => {
      throw new Error("expected the request to be refused");
    },
    (e: S3Error) => e,
  );
}

const getRequest = (path: string, headers: Record<string, string> = {}) => ({
  method: "GET",
  protocol: "http:",
  hostname: "127.0.0.1",
  port: 4577,
  path,
  headers: { host: "127.0.0.1:4577", "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...headers },
});

describe("S3 request authentication", () => {
  it("accepts AWS's documented streaming PUT, whose seed signature then checks every chunk", async () => {
    const headers = {
      host: "s3.amazonaws.com",
      "x-amz-date": "20130524T000000Z",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": "66560",
      "content-length": "66824",
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
        "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class," +
        "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
    };
    keys.set("AKIAIOSFODNN7EXAMPLE", { secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" });
    const principal = await authenticate(
      { method: "PUT", path: "/examplebucket/chunkObject.txt", headers },
      { now: Date.UTC(2013, 4, 24, 0, 5) },
    );
    expect(principal).toMatchObject({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", region: "us-east-1" });
    expect(principal.payload.kind).toBe("chunked");
    const signing = principal.payload.kind === "chunked" ? principal.payload.signing : undefined;
    const a = (n: number) => "a".repeat(n);
    const body = Buffer.from(
      `10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n${a(65536)}\r\n` +
        `400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n${a(1024)}\r\n` +
        "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n",
    );
    let length = 0;
    const source = (async function* () {
      yield body;
    })();
    for await (const chunk of decodeAwsChunked(source, { signing })) length += chunk.length;
    expect(length).toBe(66_560);
  });

  it("accepts a request signed by the SDK's signer, with a key that needs encoding", async () => {
    const path = `/bucket/${encode("dir/my file ü+.txt").replace(/%2F/gu, "/")}`;
    const signed = await signer().sign(getRequest(path), { signingDate: new Date(NOW) });
    const principal = await authenticate({ method: "GET", path, headers: signed.headers });
    expect(principal).toEqual({ accessKeyId: AKID, region: "eu-west-1", payload: { kind: "plain" } });
  });

  it("refuses a wrong secret, an unknown key and a skewed clock with S3's codes", async () => {
    const signed = await signer(AKID, "wrong").sign(getRequest("/bucket/key"), {
      signingDate: new Date(NOW),
    });
    const mismatch = await refusal(
      authenticate({ method: "GET", path: "/bucket/key", headers: signed.headers }),
    );
    expect([mismatch.code, mismatch.status]).toEqual(["SignatureDoesNotMatch", 403]);
    expect(mismatch.details.CanonicalRequest).toContain("/bucket/key");
    const unknown = await signer("AKIDUNKNOWN").sign(getRequest("/b/k"), { signingDate: new Date(NOW) });
    expect(
      (await refusal(authenticate({ method: "GET", path: "/b/k", headers: unknown.headers }))).code,
    ).toBe("InvalidAccessKeyId");
    const good = await signer().sign(getRequest("/b/k"), { signingDate: new Date(NOW) });
    const late = authenticate(
      { method: "GET", path: "/b/k", headers: good.headers },
      { now: NOW + 16 * 60_000 },
    );
    expect((await refusal(late)).code).toBe("RequestTimeTooSkewed");
    const tampered = authenticate({ method: "GET", path: "/b/other", headers: good.headers });
    expect((await refusal(tampered)).code).toBe("SignatureDoesNotMatch");
    const unsigned = authenticate({ method: "GET", path: "/b/k", headers: { host: "h" } });
    expect((await refusal(unsigned)).code).toBe("AccessDenied");
  });

  it("requires temporary keys' session token and reports their buckets", async () => {
    const withToken = await signer("ASIATEMP", "temp-secret", "the-token").sign(getRequest("/job-bucket/k"), {
      signingDate: new Date(NOW),
    });
    expect(
      await authenticate({ method: "GET", path: "/job-bucket/k", headers: withToken.headers }),
    ).toMatchObject({
      buckets: ["job-bucket"],
    });
    const without = await signer("ASIATEMP", "temp-secret").sign(getRequest("/job-bucket/k"), {
      signingDate: new Date(NOW),
    });
    expect(
      (await refusal(authenticate({ method: "GET", path: "/job-bucket/k", headers: without.headers }))).code,
    ).toBe("InvalidToken");
  });

  it("accepts a presigned URL until it expires", async () => {
    const presigned = await signer().presign(getRequest("/bucket/report.txt"), {
      signingDate: new Date(NOW),
      expiresIn: 300,
    });
    const request = {
      method: "GET",
      path: "/bucket/report.txt",
      query: presigned.query,
      headers: { host: "127.0.0.1:4577" },
    };
    expect(await authenticate(request)).toMatchObject({ accessKeyId: AKID, payload: { kind: "plain" } });
    const expired = await refusal(authenticate(request, { now: NOW + 301_000 }));
    expect([expired.code, expired.message]).toEqual(["AccessDenied", "Request has expired"]);
    const elsewhere = await refusal(authenticate({ ...request, path: "/bucket/other.txt" }));
    expect(elsewhere.code).toBe("SignatureDoesNotMatch");
  });

  it("without required signatures, accepts anything and still reads the region and payload mode", async () => {
    const anonymous = await authenticate(
      { method: "GET", path: "/b/k", headers: {} },
      { requireSignature: false },
    );
    expect(anonymous).toEqual({ accessKeyId: "anonymous", payload: { kind: "plain" } });
    const headers = {
      authorization:
        "AWS4-HMAC-SHA256 Credential=ANY/20260101/ap-south-1/s3/aws4_request, SignedHeaders=host, Signature=00",
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    };
    expect(await authenticate({ method: "PUT", path: "/b/k", headers }, { requireSignature: false })).toEqual(
      {
        accessKeyId: "ANY",
        region: "ap-south-1",
        payload: { kind: "chunked", signedTrailer: false },
      },
    );
  });
});
