import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOciClient, errorCode, imageManifest, sha256 } from "../support/oci-client.js";
import { awsEnv, runTool } from "../support/registry-tools.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The OCI distribution API and the ECR API on a real server process (no credentials: loopback),
// driven over HTTP with exact control of chunks and digests: every bad input gets the registry's
// documented error code, and nothing is stored half.
const OCI = "application/vnd.oci.image.manifest.v1+json";

describe("the registry's wire protocol", () => {
  let server: ServerProcess;
  let oci: ReturnType<typeof createOciClient>;

  async function ecr(operation: string, body: Record<string, unknown>) {
    const response = await fetch(server.endpoint, {
      method: "POST",
      headers: {
        "x-amz-target": `AmazonEC2ContainerRegistry_V20150921.${operation}`,
        "content-type": "application/x-amz-json-1.1",
      },
      body: JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: ECR answers are read member by member.
    return { status: response.status, json: (await response.json()) as any };
  }

  /** A GET sent exactly as written (fetch would remove `..` segments first). */
  function rawGet(path: string): Promise<{ status: number; body: string }> {
    const url = new URL(server.endpoint);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path, method: "GET" }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => {
          body += d.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  beforeAll(async () => {
    server = await startServerProcess();
    oci = createOciClient(server.endpoint);
    for (const name of ["app", "other", "locked"]) {
      const created = await ecr("CreateRepository", {
        repositoryName: name,
        ...(name === "locked" ? { imageTagMutability: "IMMUTABLE" } : {}),
      });
      expect(created.status).toBe(200);
    }
  }, 30_000);
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("answers /v2/ with the API version header, and leaves SigV4-signed S3 requests to S3", async () => {
    const base = await fetch(`${server.endpoint}/v2/`);
    expect(base.status).toBe(200);
    expect(base.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    const s3 = await runTool(
      "/usr/bin/aws",
      [
        "s3api",
        "get-object",
        "--bucket",
        "v2",
        "--key",
        "app/tags/list",
        "/dev/null",
        "--endpoint-url",
        server.endpoint,
      ],
      { env: awsEnv(server.dataDir) },
    );
    expect(s3.code).not.toBe(0);
    expect(s3.stderr).toMatch(/NoSuchBucket|InvalidBucketName/u);
  });

  it("refuses repository names with .. or upper case, on the registry and the ECR API", async () => {
    for (const path of ["/v2/a/../etc/tags/list", "/v2/App/tags/list", "/v2/a//b/tags/list"]) {
      const answer = await rawGet(path);
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body).errors[0].code, path).toBe("NAME_INVALID");
    }
    for (const repositoryName of ["a..b", "App"]) {
      const refused = await ecr("CreateRepository", { repositoryName });
      expect(refused.json.__type).toBe("InvalidParameterException");
      expect(refused.json.message).toContain(
        "Invalid parameter at 'repositoryName' failed to satisfy constraint",
      );
    }
    expect((await fetch(`${server.endpoint}/v2/missing/tags/list`)).status).toBe(404);
  });

  it("takes a chunked upload only in order, and stores it when the digest matches", async () => {
    const blob = randomBytes(300_000);
    const started = await oci.request("POST", "/v2/app/blobs/uploads/");
    expect(started.status).toBe(202);
    const location = started.headers.get("location")!;
    const chunk = (from: number, to: number) =>
      oci.request("PATCH", location, {
        body: blob.subarray(from, to),
        headers: { "content-range": `${from}-${to - 1}`, "content-type": "application/octet-stream" },
      });
    expect((await chunk(0, 100_000)).headers.get("range")).toBe("0-99999");
    const outOfOrder = await chunk(200_000, 300_000);
    expect(outOfOrder.status).toBe(416);
    expect(await errorCode(outOfOrder)).toBe("RANGE_INVALID");
    expect((await chunk(100_000, 300_000)).status).toBe(202);
    const status = await oci.request("GET", location);
    expect([status.status, status.headers.get("range")]).toEqual([204, "0-299999"]);
    const done = await oci.request("PUT", `${location}?digest=${sha256(blob)}`);
    expect(done.status).toBe(201);
    expect(done.headers.get("docker-content-digest")).toBe(sha256(blob));
    const head = await oci.request("HEAD", `/v2/app/blobs/${sha256(blob)}`);
    expect([head.status, head.headers.get("content-length")]).toEqual([200, "300000"]);
    const part = await oci.request("GET", `/v2/app/blobs/${sha256(blob)}`, {
      headers: { range: "bytes=10-19" },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(blob.subarray(10, 20))).toBe(true);
  });

  it("refuses a blob whose bytes do not match its digest, storing nothing", async () => {
    const blob = randomBytes(1000);
    const wrong = sha256(randomBytes(10));
    const started = await oci.request("POST", "/v2/app/blobs/uploads/");
    const location = started.headers.get("location")!;
    const put = await oci.request("PUT", `${location}?digest=${wrong}`, { body: blob });
    expect(put.status).toBe(400);
    expect(await errorCode(put)).toBe("DIGEST_INVALID");
    expect((await oci.request("HEAD", `/v2/app/blobs/${wrong}`)).status).toBe(404);
    expect((await oci.request("HEAD", `/v2/app/blobs/${sha256(blob)}`)).status).toBe(404);
    expect((await oci.request("GET", location)).status).toBe(404);
    const monolithicWrong = await oci.request("POST", `/v2/app/blobs/uploads/?digest=${wrong}`, {
      body: blob,
    });
    expect(await errorCode(monolithicWrong)).toBe("DIGEST_INVALID");
    const monolithic = await oci.request("POST", `/v2/app/blobs/uploads/?digest=${sha256(blob)}`, {
      body: blob,
    });
    expect(monolithic.status).toBe(201);
  });

  it("mounts a blob from another repository of the registry", async () => {
    const blob = randomBytes(5000);
    expect((await oci.pushBlob("app", blob)).status).toBe(201);
    const fromMissing = await oci.request(
      "POST",
      `/v2/other/blobs/uploads/?mount=${sha256(blob)}&from=nothing`,
    );
    expect(fromMissing.status).toBe(202);
    const mounted = await oci.request("POST", `/v2/other/blobs/uploads/?mount=${sha256(blob)}&from=app`);
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get("location")).toBe(`/v2/other/blobs/${sha256(blob)}`);
    expect((await oci.request("HEAD", `/v2/other/blobs/${sha256(blob)}`)).status).toBe(200);
  });

  it("refuses a manifest naming a missing blob, an oversize one and a digest mismatch; nothing is stored", async () => {
    const config = Buffer.from('{"architecture":"amd64"}');
    const layer = randomBytes(2000);
    expect((await oci.pushBlob("app", config)).status).toBe(201);
    const missingLayer = await oci.pushManifest("app", "half", imageManifest(config, [layer]), OCI);
    expect(missingLayer.status).toBe(400);
    expect(await errorCode(missingLayer)).toBe("MANIFEST_BLOB_UNKNOWN");
    const huge = await oci.pushManifest("app", "huge", " ".repeat(4 * 1024 * 1024 + 1), OCI);
    expect(huge.status).toBe(413);
    expect(await errorCode(huge)).toBe("MANIFEST_INVALID");
    expect((await oci.pushBlob("app", layer)).status).toBe(201);
    const text = JSON.stringify(imageManifest(config, [layer]));
    const byWrongDigest = await oci.pushManifest("app", sha256(Buffer.from("x")), text, OCI);
    expect(await errorCode(byWrongDigest)).toBe("DIGEST_INVALID");
    for (const tag of ["half", "huge"]) {
      const got = await oci.request("GET", `/v2/app/manifests/${tag}`);
      expect(got.status).toBe(404);
      expect(await errorCode(got)).toBe("MANIFEST_UNKNOWN");
    }
    expect((await ecr("DescribeImages", { repositoryName: "app" })).json.imageDetails).toEqual([]);

    const stored = await oci.pushManifest("app", "v1", text, OCI);
    expect(stored.status).toBe(201);
    const digest = stored.headers.get("docker-content-digest")!;
    expect(digest).toBe(sha256(Buffer.from(text)));
    const byDigest = await oci.request("GET", `/v2/app/manifests/${digest}`);
    expect([byDigest.headers.get("content-type"), await byDigest.text()]).toEqual([OCI, text]);
  });

  it("stores an OCI index and a Docker manifest list only when the repository has every manifest they name", async () => {
    const config = Buffer.from('{"index":"child"}');
    await oci.pushBlob("app", config);
    const child = JSON.stringify(imageManifest(config, []));
    const childPut = await oci.pushManifest("app", sha256(Buffer.from(child)), child, OCI);
    expect(childPut.status).toBe(201);
    const missing = sha256(Buffer.from("no such manifest"));
    for (const mediaType of [
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
    ]) {
      const entry = (digest: string) => ({
        mediaType: OCI,
        digest,
        size: 100,
        platform: { architecture: "amd64", os: "linux" },
      });
      const refused = await oci.pushManifest(
        "app",
        "multi",
        { schemaVersion: 2, mediaType, manifests: [entry(sha256(Buffer.from(child))), entry(missing)] },
        mediaType,
      );
      expect(await errorCode(refused)).toBe("MANIFEST_UNKNOWN");
      const stored = await oci.pushManifest(
        "app",
        "multi",
        { schemaVersion: 2, mediaType, manifests: [entry(sha256(Buffer.from(child)))] },
        mediaType,
      );
      expect(stored.status).toBe(201);
      const got = await oci.request("HEAD", "/v2/app/manifests/multi");
      expect(got.headers.get("content-type")).toBe(mediaType);
    }
    const listed = await ecr("DescribeImages", { repositoryName: "app", imageIds: [{ imageTag: "multi" }] });
    expect(listed.json.imageDetails[0].imageManifestMediaType).toBe(
      "application/vnd.docker.distribution.manifest.list.v2+json",
    );
    const childDelete = await oci.request("DELETE", `/v2/app/manifests/${sha256(Buffer.from(child))}`);
    expect(await errorCode(childDelete)).toBe("DENIED");
  });

  it("keeps IMMUTABLE tags: the registry answers TAG_INVALID and PutImage ImageTagAlreadyExistsException", async () => {
    const configA = Buffer.from('{"a":1}');
    const configB = Buffer.from('{"b":2}');
    for (const c of [configA, configB]) expect((await oci.pushBlob("locked", c)).status).toBe(201);
    expect((await oci.pushManifest("locked", "v1", imageManifest(configA, []), OCI)).status).toBe(201);
    const overwrite = await oci.pushManifest("locked", "v1", imageManifest(configB, []), OCI);
    expect(overwrite.status).toBe(400);
    expect(await errorCode(overwrite)).toBe("TAG_INVALID");
    const put = await ecr("PutImage", {
      repositoryName: "locked",
      imageTag: "v1",
      imageManifest: JSON.stringify(imageManifest(configB, [])),
      imageManifestMediaType: OCI,
    });
    expect(put.json.__type).toBe("ImageTagAlreadyExistsException");
    const v1 = await ecr("BatchGetImage", { repositoryName: "locked", imageIds: [{ imageTag: "v1" }] });
    expect(JSON.parse(v1.json.images[0].imageManifest).config.digest).toBe(sha256(configA));
  });

  it("lists tags a page at a time, and deletes by tag and by digest", async () => {
    const config = Buffer.from('{"tags":true}');
    await oci.pushBlob("other", config);
    for (const tag of ["t1", "t2", "t3"]) {
      expect((await oci.pushManifest("other", tag, imageManifest(config, []), OCI)).status).toBe(201);
    }
    const first = await oci.request("GET", "/v2/other/tags/list?n=2");
    expect(await first.json()).toEqual({ name: "other", tags: ["t1", "t2"] });
    expect(first.headers.get("link")).toBe('</v2/other/tags/list?n=2&last=t2>; rel="next"');
    expect((await oci.request("DELETE", "/v2/other/manifests/t1")).status).toBe(202);
    const deleted = await ecr("BatchDeleteImage", {
      repositoryName: "other",
      imageIds: [{ imageTag: "t2" }],
    });
    expect(deleted.json.imageIds).toEqual([
      { imageDigest: sha256(Buffer.from(JSON.stringify(imageManifest(config, [])))), imageTag: "t2" },
    ]);
    const digest = deleted.json.imageIds[0].imageDigest as string;
    expect((await oci.request("DELETE", `/v2/other/manifests/${digest}`)).status).toBe(202);
    expect((await oci.request("GET", "/v2/other/manifests/t3")).status).toBe(404);
  });

  it("applies a lifecycle policy after each push: only the newest tagged image stays", async () => {
    await ecr("CreateRepository", { repositoryName: "kept" });
    const policy = {
      rules: [
        {
          rulePriority: 1,
          description: "keep one",
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 },
          action: { type: "expire" },
        },
      ],
    };
    const put = await ecr("PutLifecyclePolicy", {
      repositoryName: "kept",
      lifecyclePolicyText: JSON.stringify(policy),
    });
    expect(put.status).toBe(200);
    const digests = [];
    for (const n of [1, 2, 3]) {
      const config = Buffer.from(`{"n":${n}}`);
      await oci.pushBlob("kept", config);
      const pushed = await oci.pushManifest("kept", `v${n}`, imageManifest(config, []), OCI);
      digests.push(pushed.headers.get("docker-content-digest"));
      await new Promise((r) => setTimeout(r, 5));
    }
    const images = (await ecr("DescribeImages", { repositoryName: "kept" })).json.imageDetails;
    expect(images.map((i: { imageDigest: string }) => i.imageDigest)).toEqual([digests[2]]);
    const got = await ecr("GetLifecyclePolicy", { repositoryName: "kept" });
    expect(JSON.parse(got.json.lifecyclePolicyText)).toEqual(policy);
    const bad = await ecr("PutLifecyclePolicy", {
      repositoryName: "kept",
      lifecyclePolicyText: JSON.stringify({
        rules: [{ ...policy.rules[0], action: { type: "keep" } }],
        pad: "x".repeat(80),
      }),
    });
    expect(bad.json.__type).toBe("InvalidParameterException");
  });
});
