import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { Readable } from "node:stream";
import { Sha256 } from "@aws-crypto/sha256-js";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIALS, deterministicBytes, s3Client } from "../support/s3-clients.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The AWS SDK for JavaScript v3 is the judge of wire compatibility here; s3-cli.test.ts runs
// Debian's AWS CLI and boto3 against the same kind of server.
describe("the AWS SDK's S3 client against a real server process", () => {
  let server: ServerProcess;
  let s3: S3Client;

  beforeAll(async () => {
    server = await startServerProcess({
      env: { PIPEWRIGHT_CREDENTIALS: `${CREDENTIALS.accessKeyId}:${CREDENTIALS.secretAccessKey}` },
    });
    s3 = s3Client(server.endpoint);
  });
  afterAll(async () => {
    s3?.destroy();
    await server.kill();
    removeDir(server.dataDir);
  });

  it("creates a bucket and puts, gets, heads and deletes an object", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-basics" }));
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: "sdk-basics",
        Key: "dir/hello.txt",
        Body: "hello, pipewright",
        ContentType: "text/plain",
        Metadata: { build: "42" },
      }),
    );
    expect(put.ETag).toBe(`"${createHash("md5").update("hello, pipewright").digest("hex")}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: "sdk-basics", Key: "dir/hello.txt" }));
    expect(await got.Body!.transformToString()).toBe("hello, pipewright");
    expect([got.ContentType, got.Metadata, got.ContentLength]).toEqual(["text/plain", { build: "42" }, 17]);
    const range = await s3.send(
      new GetObjectCommand({ Bucket: "sdk-basics", Key: "dir/hello.txt", Range: "bytes=7-10" }),
    );
    expect(await range.Body!.transformToString()).toBe("pipe");
    const head = await s3.send(new HeadObjectCommand({ Bucket: "sdk-basics", Key: "dir/hello.txt" }));
    expect(head.ETag).toBe(put.ETag);
    await s3.send(new DeleteObjectCommand({ Bucket: "sdk-basics", Key: "dir/hello.txt" }));
    const missing = await s3
      .send(new HeadObjectCommand({ Bucket: "sdk-basics", Key: "dir/hello.txt" }))
      .catch((e) => e);
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(["NotFound", 404]);
    const noKey = await s3.send(new GetObjectCommand({ Bucket: "sdk-basics", Key: "nope" })).catch((e) => e);
    expect(noKey.name).toBe("NoSuchKey");
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toContain("sdk-basics");
  });

  it("streams a 60 MB body up and down unchanged", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-big" }));
    const size = 60 * 1024 * 1024;
    const sent = createHash("sha256");
    const body = Readable.from(deterministicBytes(size, sent));
    await s3.send(
      new PutObjectCommand({ Bucket: "sdk-big", Key: "big.bin", Body: body, ContentLength: size }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: "sdk-big", Key: "big.bin" }));
    const received = createHash("sha256");
    let length = 0;
    for await (const chunk of got.Body as Readable) {
      received.update(chunk);
      length += chunk.length;
    }
    expect([length, received.digest("hex")]).toEqual([size, sent.digest("hex")]);
  });

  it("keeps versions, reads one by id, and hides a key behind a delete marker", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-versions" }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: "sdk-versions",
        VersioningConfiguration: { Status: "Enabled" },
      }),
    );
    const ids: string[] = [];
    for (const text of ["one", "two", "three"]) {
      const put = await s3.send(new PutObjectCommand({ Bucket: "sdk-versions", Key: "k", Body: text }));
      ids.push(put.VersionId!);
    }
    expect(new Set(ids).size).toBe(3);
    const first = await s3.send(
      new GetObjectCommand({ Bucket: "sdk-versions", Key: "k", VersionId: ids[0] }),
    );
    expect([await first.Body!.transformToString(), first.VersionId]).toEqual(["one", ids[0]]);
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: "sdk-versions", Key: "k" }));
    expect(deleted.DeleteMarker).toBe(true);
    const hidden = await s3.send(new GetObjectCommand({ Bucket: "sdk-versions", Key: "k" })).catch((e) => e);
    expect(hidden.name).toBe("NoSuchKey");
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: "sdk-versions" }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [ids[2], false],
      [ids[1], false],
      [ids[0], false],
    ]);
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([
      [deleted.VersionId, true],
    ]);
  });

  it("lists with prefix, delimiter and pagination", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-list" }));
    const keys = ["logs/1", "logs/2", "src/a.ts", "src/lib/b.ts", "src/lib/c.ts", "top"];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: "sdk-list", Key: key, Body: key }));
    const rolled = await s3.send(new ListObjectsV2Command({ Bucket: "sdk-list", Delimiter: "/" }));
    expect([rolled.Contents?.map((o) => o.Key), rolled.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([
      ["top"],
      ["logs/", "src/"],
    ]);
    const src = await s3.send(
      new ListObjectsV2Command({ Bucket: "sdk-list", Prefix: "src/", Delimiter: "/" }),
    );
    expect([src.Contents?.map((o) => o.Key), src.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([
      ["src/a.ts"],
      ["src/lib/"],
    ]);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: "sdk-list", MaxKeys: 4, ContinuationToken: token }),
      );
      pages.push(page.Contents?.map((o) => o.Key!) ?? []);
      token = page.NextContinuationToken;
    } while (token);
    expect(pages).toEqual([keys.slice(0, 4), keys.slice(4)]);
  });

  it("stores keys verbatim and keeps every body inside the data directory", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-keys" }));
    const keys = ["../../etc/passwd", "a/../b", "ünïcödé/😀.txt", "with space+plus"];
    for (const key of keys)
      await s3.send(new PutObjectCommand({ Bucket: "sdk-keys", Key: key, Body: `body of ${key}` }));
    for (const key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: "sdk-keys", Key: key }));
      expect(await got.Body!.transformToString()).toBe(`body of ${key}`);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "sdk-keys" }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([...keys].sort());
    const files = readdirSync(server.dataDir, { recursive: true, encoding: "utf8" });
    expect(files.filter((f) => f.includes("passwd") || f.includes("ünïcödé"))).toEqual([]);
  });

  it("refuses a wrong secret with SignatureDoesNotMatch", async () => {
    const wrong = s3Client(server.endpoint, { ...CREDENTIALS, secretAccessKey: "not-the-secret" });
    const error = await wrong.send(new ListBucketsCommand({})).catch((e) => e);
    wrong.destroy();
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(["SignatureDoesNotMatch", 403]);
  });

  it("serves a presigned GET URL to plain fetch", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-presign" }));
    await s3.send(new PutObjectCommand({ Bucket: "sdk-presign", Key: "report.txt", Body: "shared" }));
    const url = new URL(`${server.endpoint}/sdk-presign/report.txt`);
    // What @aws-sdk/s3-request-presigner does: the SDK's signer, with an unsigned payload.
    const signer = new SignatureV4({
      service: "s3",
      region: "us-east-1",
      credentials: CREDENTIALS,
      sha256: Sha256,
      uriEscapePath: false,
    });
    const presigned = await signer.presign(
      {
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: { host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      },
      { expiresIn: 300 },
    );
    for (const [name, value] of Object.entries(presigned.query ?? {}))
      url.searchParams.set(name, String(value));
    const response = await fetch(url);
    expect([response.status, await response.text()]).toEqual([200, "shared"]);
    url.pathname = "/sdk-presign/other.txt";
    expect((await fetch(url)).status).toBe(403);
  });

  it("logged no unexpected failure while serving all of the above", () => {
    expect(server.output()).not.toContain("request failed");
  });
});
