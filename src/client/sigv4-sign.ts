import { createHash, createHmac } from "node:crypto";

/** An AWS key pair, with the session token of temporary credentials. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RequestToSign {
  readonly method: string;
  readonly url: URL;
  /** Header names in any case; `host` and the `x-amz-*` signing headers are added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly region: string;
  /** The signing name of the service (`codepipeline`, `codebuild`). */
  readonly service: string;
  readonly credentials: AwsCredentials;
  /** Milliseconds since the epoch: the signature's time (AWS accepts 15 minutes either way). */
  readonly now: number;
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Signs a request with AWS Signature Version 4 (header form, the payload hashed), as the AWS
 * SDKs do for JSON 1.1 services: returns the headers to send, the given ones included, with
 * lower-case names. Written on node:crypto so the client needs no SDK; checked against the
 * server's verifier (api/auth/sigv4.ts) and the SDK's signer in sigv4-sign.test.ts.
 */
export function signRequest(r: RequestToSign): Record<string, string> {
  const amzDate = new Date(r.now).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  headers.host = r.url.host;
  headers["x-amz-date"] = amzDate;
  const payloadHash = sha256Hex(r.body);
  headers["x-amz-content-sha256"] = payloadHash;
  if (r.credentials.sessionToken) headers["x-amz-security-token"] = r.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names
    .map((n) => `${n}:${(headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const signedHeaders = names.join(";");
  const path =
    r.url.pathname
      .split("/")
      .map((segment) => encode(decodeURIComponent(segment)))
      .join("/") || "/";
  const query = [...r.url.searchParams]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalRequest = [r.method, path, query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${r.region}/${r.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = hmac(
    hmac(hmac(hmac(`AWS4${r.credentials.secretAccessKey}`, date), r.region), r.service),
    "aws4_request",
  );
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${r.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
