import { createHash } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { createS3TestApi, xmlValues } from "../../../test/support/s3-test-api.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("S3 front end: buckets", () => {
  it("creates, heads, lists, locates and deletes buckets with S3's answers", async () => {
    const { send } = createS3TestApi();
    expect((await send("PUT", "/artifacts")).status).toBe(200);
    const regional = await send("PUT", "/west-bucket", {
      body: "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>",
    });
    expect(regional.status).toBe(200);
    const again = await send("PUT", "/artifacts");
    expect([again.status, xmlValues(again.text, "Code")]).toEqual([409, ["BucketAlreadyOwnedByYou"]]);
    const invalid = await send("PUT", "/Not_Valid");
    expect([invalid.status, xmlValues(invalid.text, "Code")]).toEqual([400, ["InvalidBucketName"]]);

    const head = await send("HEAD", "/artifacts");
    expect([head.status, head.headers.get("x-amz-bucket-region")]).toEqual([200, "us-east-1"]);
    expect((await send("HEAD", "/missing")).status).toBe(404);
    expect(xmlValues((await send("GET", "/")).text, "Name")).toEqual(["artifacts"]);
    expect((await send("GET", "/west-bucket?location")).text).toContain(">eu-west-1</LocationConstraint>");
    expect((await send("GET", "/artifacts?location")).text).toMatch(
      /<LocationConstraint[^>]*><\/LocationConstraint>/u,
    );

    await send("PUT", "/artifacts/k", { body: "x" });
    const notEmpty = await send("DELETE", "/artifacts");
    expect([notEmpty.status, xmlValues(notEmpty.text, "Code")]).toEqual([409, ["BucketNotEmpty"]]);
    await send("DELETE", "/artifacts/k");
    expect((await send("DELETE", "/artifacts")).status).toBe(204);
    const gone = await send("GET", "/artifacts?list-type=2");
    expect(gone.status).toBe(404);
    expect(xmlValues(gone.text, "Code")).toEqual(["NoSuchBucket"]);
    expect(xmlValues(gone.text, "Resource")).toEqual(["/artifacts"]);
    expect(xmlValues(gone.text, "RequestId")).toEqual([gone.headers.get("x-amz-request-id")]);
  });

  it("reports and changes versioning", async () => {
    const { send } = createS3TestApi();
    await send("PUT", "/bkt");
    expect((await send("GET", "/bkt?versioning")).text).not.toContain("<Status>");
    const body = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
    expect((await send("PUT", "/bkt?versioning", { body })).status).toBe(200);
    expect(xmlValues((await send("GET", "/bkt?versioning")).text, "Status")).toEqual(["Enabled"]);
    const bad = await send("PUT", "/bkt?versioning", {
      body: "<VersioningConfiguration><Status>On</Status></VersioningConfiguration>",
    });
    expect(xmlValues(bad.text, "Code")).toEqual(["MalformedXML"]);
  });

  it("answers NotImplemented naming the operation, and MethodNotAllowed for other methods", async () => {
    const { send } = createS3TestApi();
    await send("PUT", "/bkt");
    const acl = await send("GET", "/bkt?acl");
    expect([acl.status, xmlValues(acl.text, "Code")]).toEqual([501, ["NotImplemented"]]);
    expect(xmlValues(acl.text, "Message")[0]).toContain("GetBucketAcl");
    const copy = await send("PUT", "/bkt/k", { headers: { "x-amz-copy-source": "/bkt/other" } });
    expect(xmlValues(copy.text, "Message")[0]).toContain("CopyObject");
    const patch = await send("PATCH", "/bkt/k", { body: "x" });
    expect([patch.status, xmlValues(patch.text, "Code")]).toEqual([405, ["MethodNotAllowed"]]);
  });

  it("answers an unexpected failure with InternalError and the request id, and logs the cause", async () => {
    const { send, logged } = createS3TestApi({
      objects: (store) => ({
        ...store,
        listBuckets: async () => {
          throw new Error("disk on fire");
        },
      }),
    });
    const answer = await send("GET", "/");
    expect(answer.status).toBe(500);
    expect(xmlValues(answer.text, "Code")).toEqual(["InternalError"]);
    expect(answer.text).toContain(answer.headers.get("x-amz-request-id")!);
    expect(answer.text).not.toContain("disk on fire");
    expect(logged[0]?.fields?.error).toContain("disk on fire");
  });
});

describe("S3 front end: signatures required", () => {
  const credentials = new Map([
    ["AKIDSTATIC", { secretAccessKey: "static-secret" }],
    ["ASIAJOB", { secretAccessKey: "job-secret", sessionToken: "job-token", buckets: ["job-bucket"] }],
  ]);

  async function signed(
    accessKeyId: string,
    secretAccessKey: string,
    method: string,
    path: string,
    sessionToken?: string,
  ) {
    const signer = new SignatureV4({
      service: "s3",
      region: "us-east-1",
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      sha256: Sha256,
      uriEscapePath: false,
    });
    const request = await signer.sign(
      {
        method,
        protocol: "http:",
        hostname: "pipewright.test",
        path: path.split("?")[0]!,
        query: Object.fromEntries(new URLSearchParams(path.split("?")[1] ?? "")),
        headers: { host: "pipewright.test", "x-amz-content-sha256": sha256("") },
      },
      { signingDate: new Date(Date.UTC(2026, 10, 22, 12, 0, 0)) },
    );
    return { headers: request.headers };
  }

  it("lets static keys do everything and keeps job keys to their buckets' objects", async () => {
    const { send } = createS3TestApi({ resolveCredentials: async (id) => credentials.get(id) });
    expect(
      (await send("PUT", "/job-bucket", await signed("AKIDSTATIC", "static-secret", "PUT", "/job-bucket")))
        .status,
    ).toBe(200);
    expect(
      (
        await send(
          "PUT",
          "/other-bucket",
          await signed("AKIDSTATIC", "static-secret", "PUT", "/other-bucket"),
        )
      ).status,
    ).toBe(200);
    const job = (method: string, path: string) => signed("ASIAJOB", "job-secret", method, path, "job-token");
    expect((await send("PUT", "/job-bucket/out.zip", await job("PUT", "/job-bucket/out.zip"))).status).toBe(
      200,
    );
    expect((await send("GET", "/job-bucket/out.zip", await job("GET", "/job-bucket/out.zip"))).status).toBe(
      200,
    );
    const elsewhere = await send(
      "GET",
      "/other-bucket?list-type=2",
      await job("GET", "/other-bucket?list-type=2"),
    );
    expect([elsewhere.status, xmlValues(elsewhere.text, "Code")]).toEqual([403, ["AccessDenied"]]);
    const drop = await send("DELETE", "/job-bucket", await job("DELETE", "/job-bucket"));
    expect(xmlValues(drop.text, "Code")).toEqual(["AccessDenied"]);
    expect(xmlValues((await send("GET", "/", await job("GET", "/"))).text, "Name")).toEqual(["job-bucket"]);
    const wrong = await send("GET", "/", await signed("AKIDSTATIC", "not-the-secret", "GET", "/"));
    expect([wrong.status, xmlValues(wrong.text, "Code")]).toEqual([403, ["SignatureDoesNotMatch"]]);
    const unknown = await send("GET", "/job-bucket/out.zip");
    expect(xmlValues(unknown.text, "Code")).toEqual(["InvalidAccessKeyId"]);
  });
});

describe("S3 front end: objects", () => {
  it("puts and gets an object with its ETag, metadata, content type and ranges", async () => {
    const { send } = createS3TestApi();
    await send("PUT", "/bkt");
    const put = await send("PUT", "/bkt/dir/app.txt", {
      body: "0123456789",
      headers: { "content-type": "text/plain", "x-amz-meta-Build-Id": "42" },
    });
    expect([put.status, put.headers.get("etag")]).toEqual([200, '"781e5e245d69b566979b86e28d23f2c7"']);
    expect(put.headers.has("x-amz-version-id")).toBe(false);
    const got = await send("GET", "/bkt/dir/app.txt");
    expect(got.text).toBe("0123456789");
    expect(
      Object.fromEntries(
        ["etag", "content-type", "content-length", "x-amz-meta-build-id"].map((h) => [h, got.headers.get(h)]),
      ),
    ).toEqual({
      etag: '"781e5e245d69b566979b86e28d23f2c7"',
      "content-type": "text/plain",
      "content-length": "10",
      "x-amz-meta-build-id": "42",
    });
    expect(got.headers.get("last-modified")).toBe("Sun, 22 Nov 2026 12:00:00 GMT");
    const part = await send("GET", "/bkt/dir/app.txt", { headers: { range: "bytes=2-4" } });
    expect([part.status, part.text, part.headers.get("content-range")]).toEqual([206, "234", "bytes 2-4/10"]);
    expect((await send("GET", "/bkt/dir/app.txt", { headers: { range: "bytes=-3" } })).text).toBe("789");
    expect((await send("GET", "/bkt/dir/app.txt", { headers: { range: "bytes=8-" } })).text).toBe("89");
    const beyond = await send("GET", "/bkt/dir/app.txt", { headers: { range: "bytes=10-" } });
    expect([beyond.status, xmlValues(beyond.text, "Code"), beyond.headers.get("content-range")]).toEqual([
      416,
      ["InvalidRange"],
      "bytes */10",
    ]);
    const head = await send("HEAD", "/bkt/dir/app.txt");
    expect([head.status, head.headers.get("content-length"), head.text]).toEqual([200, "10", ""]);
    const missing = await send("HEAD", "/bkt/nope");
    expect([missing.status, missing.text]).toEqual([404, ""]);
    expect(xmlValues((await send("GET", "/bkt/nope")).text, "Code")).toEqual(["NoSuchKey"]);
    const override = await send("GET", "/bkt/dir/app.txt?response-content-type=application/json");
    expect(override.headers.get("content-type")).toBe("application/json");
  });

  it("sends metadata beyond Latin-1 RFC 2047-encoded, and refuses header injection through response-*", async () => {
    const { send, stores } = createS3TestApi();
    await send("PUT", "/bkt");
    const body = (async function* () {
      yield new TextEncoder().encode("x");
    })();
    await stores.objects.putObject({ bucket: "bkt", key: "k", body, metadata: { note: "日本" }, now: 0 });
    const got = await send("GET", "/bkt/k");
    expect(got.headers.get("x-amz-meta-note")).toBe(`=?UTF-8?B?${Buffer.from("日本").toString("base64")}?=`);
    const injected = await send("GET", "/bkt/k?response-content-type=text%2Fplain%0D%0Aset-cookie%3A%20x");
    expect([injected.status, xmlValues(injected.text, "Code")]).toEqual([400, ["InvalidArgument"]]);
  });

  it("keeps keys verbatim: dot segments, double slashes and escapes are part of the key", async () => {
    const { send } = createS3TestApi();
    await send("PUT", "/bkt");
    const keys = ["../../etc/passwd", "a/../b", "%2e%2e/x", "/abs", "dir//x", "sp ace+plus"];
    for (const key of keys) {
      const path = `/bkt/${encodeURIComponent(key).replace(/%2F/gu, "/")}`;
      expect((await send("PUT", path, { body: `body of ${key}` })).status).toBe(200);
    }
    expect((await send("GET", "/bkt/../../etc/passwd")).text).toBe("body of ../../etc/passwd");
    expect((await send("GET", "/bkt/a/../b")).text).toBe("body of a/../b");
    expect((await send("GET", "/bkt/%252e%252e/x")).text).toBe("body of %2e%2e/x");
    expect((await send("GET", "/bkt//abs")).text).toBe("body of /abs");
    expect((await send("GET", "/bkt/b")).status).toBe(404);
    expect(xmlValues((await send("GET", "/bkt?list-type=2")).text, "Key").sort()).toEqual([...keys].sort());
  });

  it("stores nothing when the body does not match its x-amz-content-sha256", async () => {
    const { send } = createS3TestApi();
    await send("PUT", "/bkt");
    const headers = { "x-amz-content-sha256": sha256("what was signed") };
    const refused = await send("PUT", "/bkt/k", { body: "what was sent", headers });
    expect([refused.status, xmlValues(refused.text, "Code")]).toEqual([400, ["XAmzContentSHA256Mismatch"]]);
    expect((await send("HEAD", "/bkt/k")).status).toBe(404);
    const accepted = await send("PUT", "/bkt/k", { body: "what was signed", headers });
    expect(accepted.status).toBe(200);
  });

  it("decodes an aws-chunked body with a checksum trailer, as recent SDKs send it", async () => {
    const { send } = createS3TestApi();
    await send("PUT", "/bkt");
    const headers = {
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": "11",
      "x-amz-trailer": "x-amz-checksum-crc32",
    };
    const body = (crc: string) => `6\r\nhello,\r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`;
    const bad = await send("PUT", "/bkt/k", { headers, body: body("AAAAAA==") });
    expect(xmlValues(bad.text, "Code")).toEqual(["BadDigest"]);
    // CRC-32 of "hello,world" is 0x7A88D1FE.
    expect((await send("PUT", "/bkt/k", { headers, body: body("eojR/g==") })).status).toBe(200);
    expect((await send("GET", "/bkt/k")).text).toBe("hello,world");
  });

  it("versions objects: version ids, delete markers, reads by version, 405 on a marker", async () => {
    const { send } = createS3TestApi();
    await send("PUT", "/bkt");
    await send("PUT", "/bkt?versioning", {
      body: "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
    });
    const v1 = (await send("PUT", "/bkt/k", { body: "one" })).headers.get("x-amz-version-id")!;
    const v2 = (await send("PUT", "/bkt/k", { body: "two" })).headers.get("x-amz-version-id")!;
    expect(v1).not.toBe(v2);
    expect((await send("GET", `/bkt/k?versionId=${v1}`)).text).toBe("one");
    const deleted = await send("DELETE", "/bkt/k");
    expect(deleted.headers.get("x-amz-delete-marker")).toBe("true");
    const marker = deleted.headers.get("x-amz-version-id")!;
    expect((await send("GET", "/bkt/k")).status).toBe(404);
    const onMarker = await send("GET", `/bkt/k?versionId=${marker}`);
    expect([onMarker.status, onMarker.headers.get("x-amz-delete-marker")]).toEqual([405, "true"]);
    expect(xmlValues((await send("GET", "/bkt/k?versionId=nope")).text, "Code")).toEqual(["NoSuchVersion"]);
    const listed = (await send("GET", "/bkt?versions")).text;
    expect(xmlValues(listed, "VersionId")).toEqual([marker, v2, v1]);
    expect(xmlValues(listed, "IsLatest")).toEqual(["true", "false", "false"]);
    expect(listed.indexOf("<DeleteMarker>")).toBeLessThan(listed.indexOf("<Version>"));
    const page = (await send("GET", `/bkt?versions&max-keys=1&key-marker=k&version-id-marker=${marker}`))
      .text;
    expect([xmlValues(page, "VersionId"), xmlValues(page, "NextVersionIdMarker")]).toEqual([[v2], [v2]]);
    await send("DELETE", `/bkt/k?versionId=${marker}`);
    expect((await send("GET", "/bkt/k")).text).toBe("two");
  });
});
