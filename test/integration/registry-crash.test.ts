import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createOciClient, imageManifest, sha256 } from "../support/oci-client.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// SIGKILL of the server in the middle of a push: after a restart on the same data directory the
// repository holds the whole image or none of it, and the push can be retried to the end.
const OCI = "application/vnd.oci.image.manifest.v1+json";

describe("a push interrupted by SIGKILL", () => {
  let server: ServerProcess | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    await server?.kill();
    if (dataDir) removeDir(dataDir);
  });

  async function ecr(endpoint: string, operation: string, body: Record<string, unknown>) {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "x-amz-target": `AmazonEC2ContainerRegistry_V20150921.${operation}` },
      body: JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: ECR answers are read member by member.
    return (await response.json()) as any;
  }

  it("leaves no image after a kill mid-layer or before the manifest, and a retried push completes", async () => {
    server = await startServerProcess();
    dataDir = server.dataDir;
    let oci = createOciClient(server.endpoint);
    await ecr(server.endpoint, "CreateRepository", { repositoryName: "app" });
    const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
    const layer = randomBytes(8 * 1024 * 1024);
    const small = randomBytes(4096);
    expect((await oci.pushBlob("app", config)).status).toBe(201);
    expect((await oci.pushBlob("app", small)).status).toBe(201);

    // 1. Killed while the big layer streams in: half of it has arrived, the rest never will.
    const started = await oci.request("POST", "/v2/app/blobs/uploads/");
    const location = started.headers.get("location")!;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= layer.length / 2) return new Promise(() => {}); // hang: the client stalls
        controller.enqueue(layer.subarray(sent, sent + 256 * 1024));
        sent += 256 * 1024;
      },
    });
    const patch = oci.request("PATCH", location, { body, duplex: "half" }).catch((e: Error) => e);
    while (sent < layer.length / 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    await server.kill("SIGKILL");
    await patch;

    server = await startServerProcess({ dataDir });
    oci = createOciClient(server.endpoint);
    expect((await ecr(server.endpoint, "DescribeImages", { repositoryName: "app" })).imageDetails).toEqual(
      [],
    );
    expect((await oci.request("HEAD", `/v2/app/blobs/${sha256(layer)}`)).status).toBe(404);
    // What did arrive before the kill is kept: a whole blob never goes half.
    expect((await oci.request("HEAD", `/v2/app/blobs/${sha256(small)}`)).status).toBe(200);

    // 2. Killed after every blob and before the manifest: still no image.
    expect((await oci.pushBlob("app", layer)).status).toBe(201);
    await server.kill("SIGKILL");
    server = await startServerProcess({ dataDir });
    oci = createOciClient(server.endpoint);
    expect((await ecr(server.endpoint, "DescribeImages", { repositoryName: "app" })).imageDetails).toEqual(
      [],
    );
    expect((await oci.request("GET", "/v2/app/manifests/latest")).status).toBe(404);

    // 3. The retried push: its blobs are there (HEAD answers 200, Docker skips them), the manifest goes in.
    for (const blob of [config, small, layer]) {
      expect((await oci.request("HEAD", `/v2/app/blobs/${sha256(blob)}`)).status).toBe(200);
    }
    const manifest = await oci.pushManifest("app", "latest", imageManifest(config, [small, layer]), OCI);
    expect(manifest.status).toBe(201);
    const images = (await ecr(server.endpoint, "DescribeImages", { repositoryName: "app" })).imageDetails;
    expect(images).toHaveLength(1);
    expect(images[0].imageTags).toEqual(["latest"]);
    const pulled = await oci.request("GET", `/v2/app/blobs/${sha256(layer)}`);
    const hash = createHash("sha256")
      .update(Buffer.from(await pulled.arrayBuffer()))
      .digest("hex");
    expect(`sha256:${hash}`).toBe(sha256(layer));
  }, 60_000);
});
