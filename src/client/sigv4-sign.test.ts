import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { verifySigV4 } from "../api/auth/sigv4.js";
import { signRequest } from "./sigv4-sign.js";

const credentials = { accessKeyId: "AKIDCLIENT", secretAccessKey: "client/secret+key" };
const now = Date.UTC(2026, 11, 3, 12, 0, 0);

function sign(url: string, body: string, extra: Record<string, string> = {}, token?: string) {
  return signRequest({
    method: "POST",
    url: new URL(url),
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "CodePipeline_20150709.ListPipelines",
      ...extra,
    },
    body,
    region: "eu-west-1",
    service: "codepipeline",
    credentials: token ? { ...credentials, sessionToken: token } : credentials,
    now,
  });
}

function verify(
  url: string,
  headers: Record<string, string>,
  body: string,
  secret = credentials.secretAccessKey,
  at = now,
) {
  const u = new URL(url);
  return verifySigV4(
    {
      method: "POST",
      rawPath: u.pathname,
      rawQuery: u.search.slice(1),
      headers: { get: (n: string) => headers[n.toLowerCase()] ?? null },
      body: new TextEncoder().encode(body),
    },
    (id) => (id === credentials.accessKeyId ? secret : undefined),
    at,
  );
}

describe("the client's SigV4 signer", () => {
  it("signs requests the server's verifier accepts, with the region and service in the scope", () => {
    const body = '{"nextToken":"a b/ü"}';
    const headers = sign("http://127.0.0.1:4577/", body);
    expect(verify("http://127.0.0.1:4577/", headers, body)).toEqual({
      ok: true,
      accessKeyId: "AKIDCLIENT",
      region: "eu-west-1",
      service: "codepipeline",
    });
  });

  it("is refused when the body, the secret or the time differ", () => {
    const headers = sign("http://127.0.0.1:4577/", "{}");
    expect(verify("http://127.0.0.1:4577/", headers, '{"x":1}')).toMatchObject({
      ok: false,
      type: "XAmzContentSHA256Mismatch",
    });
    expect(verify("http://127.0.0.1:4577/", headers, "{}", "other")).toMatchObject({
      ok: false,
      type: "InvalidSignatureException",
    });
    expect(
      verify("http://127.0.0.1:4577/", headers, "{}", credentials.secretAccessKey, now + 16 * 60_000),
    ).toMatchObject({
      ok: false,
      type: "InvalidSignatureException",
    });
  });

  it("gives the same signature as the AWS SDK's signer, session token and query included", async () => {
    const url = "https://codepipeline.eu-west-1.amazonaws.com/some%20path/x?b=2&a=1&c=d%2Fe";
    const body = '{"name":"app"}';
    const ours = sign(url, body, {}, "session-token");
    const u = new URL(url);
    const sdk = new SignatureV4({
      credentials: { ...credentials, sessionToken: "session-token" },
      region: "eu-west-1",
      service: "codepipeline",
      sha256: Sha256,
    });
    const signed = await sdk.sign(
      {
        method: "POST",
        protocol: u.protocol,
        hostname: u.hostname,
        path: decodeURIComponent(u.pathname),
        query: Object.fromEntries(u.searchParams),
        headers: {
          host: u.host,
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "CodePipeline_20150709.ListPipelines",
          "x-amz-content-sha256": ours["x-amz-content-sha256"]!,
        },
        body,
      },
      { signingDate: new Date(now) },
    );
    expect(ours.authorization).toBe(signed.headers.authorization);
    expect(ours["x-amz-security-token"]).toBe("session-token");
  });
});
