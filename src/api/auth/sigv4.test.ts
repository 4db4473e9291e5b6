import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { verifySigV4 } from "./sigv4.js";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG" };

/** Signs with the AWS SDK's own signer, the judge of what a client sends. */
async function signed(service: string, path: string, query: Record<string, string>, body: string) {
  // The S3 client signs its path as sent (uriEscapePath false); every other client encodes it again.
  const signer = new SignatureV4({
    service,
    region: "eu-west-1",
    credentials,
    sha256: Sha256,
    uriEscapePath: service !== "s3",
  });
  const request = await signer.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 4577,
      path,
      query,
      headers: {
        host: "127.0.0.1:4577",
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "CodePipeline_20150709.ListPipelines",
      },
      body,
    },
    { signingDate: new Date(NOW) },
  );
  const rawQuery = new URLSearchParams(query).toString().replace(/\+/gu, "%20");
  const headers = new Headers(request.headers as Record<string, string>);
  return { method: "POST", rawPath: path, rawQuery, headers, body: new TextEncoder().encode(body) };
}

const lookup = (id: string) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined);

describe("SigV4 verification against the AWS SDK's signer", () => {
  it("accepts a JSON 1.1 request and reads region and service from the scope", async () => {
    const result = verifySigV4(await signed("codepipeline", "/", {}, "{}"), lookup, NOW);
    expect(result).toEqual({
      ok: true,
      accessKeyId: "AKIDEXAMPLE",
      region: "eu-west-1",
      service: "codepipeline",
    });
  });

  it("accepts a query string with repeated encodings and an S3 path with spaces", async () => {
    const result = verifySigV4(
      await signed("s3", "/bucket/my%20key.txt", { "list-type": "2", prefix: "a b/c", "max-keys": "10" }, ""),
      lookup,
      NOW,
    );
    expect(result.ok).toBe(true);
  });

  it("refuses a wrong secret, a tampered body, an unknown key and a stale date with AWS's errors", async () => {
    const good = await signed("codepipeline", "/", {}, "{}");
    expect(verifySigV4(good, () => "other-secret", NOW)).toMatchObject({
      ok: false,
      status: 403,
      type: "InvalidSignatureException",
    });
    expect(verifySigV4({ ...good, body: new TextEncoder().encode('{"x":1}') }, lookup, NOW)).toMatchObject({
      ok: false,
    });
    expect(verifySigV4(good, () => undefined, NOW)).toMatchObject({ type: "UnrecognizedClientException" });
    expect(verifySigV4(good, lookup, NOW + 16 * 60_000)).toMatchObject({
      type: "InvalidSignatureException",
      message: expect.stringMatching(/^Signature expired: 20261122T120000Z is now earlier than/u),
    });
    // A client clock ahead of the server's: AWS's other message, not "expired".
    expect(verifySigV4(good, lookup, NOW - 16 * 60_000)).toMatchObject({
      type: "InvalidSignatureException",
      message:
        "Signature not yet current: 20261122T120000Z is still later than 20261122T115900Z (20261122T114400Z + 15 min.)",
    });
  });

  it("answers a missing or malformed Authorization header", async () => {
    const good = await signed("codepipeline", "/", {}, "{}");
    const none = new Headers(good.headers);
    none.delete("authorization");
    expect(verifySigV4({ ...good, headers: none }, lookup, NOW)).toMatchObject({
      type: "MissingAuthenticationTokenException",
    });
    const bad = new Headers(good.headers);
    bad.set("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
    expect(verifySigV4({ ...good, headers: bad }, lookup, NOW)).toMatchObject({
      status: 400,
      type: "IncompleteSignatureException",
    });
  });
});
