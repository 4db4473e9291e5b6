import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  DeletePipelineCommand,
  GetPipelineCommand,
  InvalidStructureException,
  ListPipelinesCommand,
  ListTagsForResourceCommand,
  type PipelineDeclaration,
  PipelineNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePipelineCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";

const fixture = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/pipelines/basic-v1.json"), "utf8")) as {
  pipeline: PipelineDeclaration;
};

function declaration(name: string): PipelineDeclaration {
  return { ...structuredClone(fixture.pipeline), name };
}

function client(endpoint: string, region = "us-east-1", secretAccessKey = "secret"): CodePipelineClient {
  return new CodePipelineClient({
    endpoint,
    region,
    credentials: { accessKeyId: "AKIDSDK", secretAccessKey },
    maxAttempts: 1,
  });
}

describe("@aws-sdk/client-codepipeline against a real server process", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.kill();
    removeDir(server.dataDir);
  });

  it("runs the create, get, update, list, tag and delete cycle", async () => {
    const cp = client(server.endpoint);
    const created = await cp.send(
      new CreatePipelineCommand({ pipeline: declaration("sdk-app"), tags: [{ key: "a", value: "1" }] }),
    );
    expect(created.pipeline?.version).toBe(1);
    expect(created.pipeline?.pipelineType).toBe("V1");
    expect(created.pipeline?.executionMode).toBe("SUPERSEDED");

    const got = await cp.send(new GetPipelineCommand({ name: "sdk-app" }));
    expect(got.metadata?.created).toBeInstanceOf(Date);
    expect(got.metadata?.pipelineArn).toBe("arn:aws:codepipeline:us-east-1:000000000000:sdk-app");

    await new Promise((r) => setTimeout(r, 20));
    const next = declaration("sdk-app");
    next.stages![1]!.actions![0]!.configuration = { ProjectName: "other" };
    const updated = await cp.send(new UpdatePipelineCommand({ pipeline: next }));
    expect(updated.pipeline?.version).toBe(2);
    const got2 = await cp.send(new GetPipelineCommand({ name: "sdk-app" }));
    expect(got2.metadata?.created?.getTime()).toBe(got.metadata?.created?.getTime());
    expect(got2.metadata!.updated!.getTime()).toBeGreaterThan(got.metadata!.updated!.getTime());

    const list = await cp.send(new ListPipelinesCommand({}));
    expect(list.pipelines?.map((p) => p.name)).toContain("sdk-app");
    expect(list.pipelines?.[0]?.created).toBeInstanceOf(Date);

    const arn = got.metadata!.pipelineArn!;
    await cp.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "b", value: "2" }] }));
    await cp.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["a"] }));
    const tags = await cp.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags.tags).toEqual([{ key: "b", value: "2" }]);

    await cp.send(new DeletePipelineCommand({ name: "sdk-app" }));
    await cp.send(new DeletePipelineCommand({ name: "sdk-app" }));
    await expect(cp.send(new GetPipelineCommand({ name: "sdk-app" }))).rejects.toBeInstanceOf(
      PipelineNotFoundException,
    );
  });

  it("maps validation failures to the modelled exception class with every issue attached", async () => {
    const cp = client(server.endpoint);
    const bad = declaration("sdk-bad");
    bad.stages = [bad.stages![0]!];
    const error = await cp.send(new CreatePipelineCommand({ pipeline: bad })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidStructureException);
    expect((error as Error).message).toBe(
      "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline",
    );
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });

  it("keeps regions apart: a pipeline in us-west-2 is invisible from us-east-1", async () => {
    await client(server.endpoint, "us-west-2").send(
      new CreatePipelineCommand({ pipeline: declaration("west-only") }),
    );
    const east = await client(server.endpoint, "us-east-1").send(new ListPipelinesCommand({}));
    expect(east.pipelines?.map((p) => p.name)).not.toContain("west-only");
    const west = await client(server.endpoint, "us-west-2").send(
      new GetPipelineCommand({ name: "west-only" }),
    );
    expect(west.metadata?.pipelineArn).toBe("arn:aws:codepipeline:us-west-2:000000000000:west-only");
  });
});

describe("SigV4 verification when credentials are configured", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ env: { PIPEWRIGHT_CREDENTIALS: "AKIDSDK:right-secret" } });
  });
  afterAll(async () => {
    await server.kill();
    removeDir(server.dataDir);
  });

  it("accepts a request signed with the right secret", async () => {
    const out = await client(server.endpoint, "us-east-1", "right-secret").send(new ListPipelinesCommand({}));
    expect(out.pipelines).toEqual([]);
  });

  it("refuses a wrong secret with 403 InvalidSignatureException", async () => {
    const error = (await client(server.endpoint, "us-east-1", "wrong-secret")
      .send(new ListPipelinesCommand({}))
      .catch((e: unknown) => e)) as { name: string; message: string; $metadata: { httpStatusCode: number } };
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toContain(
      "The request signature we calculated does not match the signature you provided",
    );
  });

  it("refuses an unsigned request with MissingAuthenticationTokenException", async () => {
    const response = await fetch(server.endpoint, {
      method: "POST",
      headers: {
        "x-amz-target": "CodePipeline_20150709.ListPipelines",
        "content-type": "application/x-amz-json-1.1",
      },
      body: "{}",
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { __type: string }).__type).toBe(
      "MissingAuthenticationTokenException",
    );
  });
});
