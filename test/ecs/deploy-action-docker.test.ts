import { PassThrough } from "node:stream";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { writeZip } from "../../src/zip/index.js";
import { BUSYBOX_IMAGE, buildImage, ensureBusyboxImage } from "../support/images.js";
import { createSourceBucket, s3DeployPipeline } from "../support/s3-deploy-pipeline.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The ECS deploy action end to end on the real dockerd (issue 12, scope 5): an S3 source whose
// zip holds imagedefinitions.json, then Deploy/AWS/ECS onto a 2-task busybox httpd service.
// v2 rolls out and the action succeeds only when every task serves it; a broken v3 (its httpd
// listens where the health check does not look) trips the circuit breaker, the service rolls
// back to v2, and the action fails at once with the reason, long before DeploymentTimeout.

const keys = { accessKeyId: "AKIDDEPLOY", secretAccessKey: "deploy-secret" };
let reason = "no Docker Engine or Podman API answers (DOCKER_HOST, /var/run/docker.sock, Podman's socket)";
let ready = false;

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await writeZip(
    Object.entries(files).map(([name, text]) => ({
      name,
      source: { kind: "data" as const, data: Buffer.from(text) },
    })),
    out,
  );
  return Buffer.concat(chunks);
}

describe("the ECS deploy action on Docker", () => {
  let server: ServerProcess;
  let ecs: ECSClient;
  let s3: S3Client;
  let pipelines: CodePipelineClient;

  beforeAll(async () => {
    const engine = await connectEngine();
    if (!engine) return;
    try {
      await ensureBusyboxImage(engine.docker);
      for (const [version, port] of [
        ["v1", 8080],
        ["v2", 8080],
        ["v3", 8081],
      ] as const) {
        await buildImage(engine.docker, `pipewright-test/web:${version}`, [
          {
            type: "file",
            name: "Dockerfile",
            data: Buffer.from(
              `FROM ${BUSYBOX_IMAGE}\nCOPY index.html /www/index.html\nCMD ["httpd", "-f", "-p", "${port}", "-h", "/www"]\n`,
            ),
          },
          { type: "file", name: "index.html", data: Buffer.from(`web ${version}\n`) },
        ]);
      }
      ready = true;
    } catch (error) {
      reason = `the test images could not be built: ${(error as Error).message}`;
      return;
    }
    server = await startServerProcess({
      env: { PIPEWRIGHT_CREDENTIALS: `${keys.accessKeyId}:${keys.secretAccessKey}` },
    });
    const client = { endpoint: server.endpoint, region: "us-east-1", credentials: keys, maxAttempts: 1 };
    ecs = new ECSClient(client);
    s3 = new S3Client({ ...client, forcePathStyle: true });
    pipelines = new CodePipelineClient(client);
  }, 180_000);

  afterAll(async () => {
    for (const c of [ecs, s3, pipelines]) c?.destroy();
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  async function servedVersions(): Promise<string[]> {
    const arns =
      (await ecs.send(new ListTasksCommand({ cluster: "deploy", serviceName: "web" }))).taskArns ?? [];
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: "deploy", tasks: arns }))).tasks ?? [];
    const pages = await Promise.all(
      tasks
        .filter((t) => t.lastStatus === "RUNNING")
        .map(async (t) => {
          const port = t.containers?.[0]?.networkBindings?.[0]?.hostPort;
          return (await fetch(`http://127.0.0.1:${port}/`)).text();
        }),
    );
    return pages.map((p) => p.trim()).sort();
  }

  async function latestExecution(after: string | undefined) {
    for (;;) {
      const summaries =
        (await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: "deploy" })))
          .pipelineExecutionSummaries ?? [];
      const latest = summaries[0];
      if (latest && latest.pipelineExecutionId !== after && latest.status !== "InProgress") return latest;
      await new Promise((done) => setTimeout(done, 250));
    }
  }

  async function upload(images: { name: string; imageUri: string }[]) {
    await s3.send(
      new PutObjectCommand({
        Bucket: "deploy-src",
        Key: "deploy.zip",
        Body: await zipOf({ "imagedefinitions.json": JSON.stringify(images) }),
      }),
    );
  }

  it("rolls v2 out, then fails fast on a broken v3 with the breaker's reason, leaving v2 serving", {
    timeout: 300_000,
  }, async ({ skip }) => {
    if (!ready) skip(reason);
    await ecs.send(new CreateClusterCommand({ clusterName: "deploy" }));
    const family = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "web",
        containerDefinitions: [
          {
            name: "web",
            image: "pipewright-test/web:v1",
            essential: true,
            portMappings: [{ containerPort: 8080, hostPort: 0 }],
            healthCheck: {
              command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"],
              interval: 5,
              timeout: 2,
              retries: 1,
            },
            stopTimeout: 1,
            memory: 64,
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: "deploy",
        serviceName: "web",
        taskDefinition: family.taskDefinition?.taskDefinitionArn,
        desiredCount: 2,
        deploymentConfiguration: {
          minimumHealthyPercent: 50,
          maximumPercent: 200,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 120, minDelay: 1, maxDelay: 2 },
      { cluster: "deploy", services: ["web"] },
    );
    expect(await servedVersions()).toEqual(["web v1", "web v1"]);

    await createSourceBucket(s3, "deploy-src");
    await upload([{ name: "web", imageUri: "pipewright-test/web:v2" }]);
    const started = Date.now();
    await pipelines.send(
      new CreatePipelineCommand({
        pipeline: s3DeployPipeline({
          name: "deploy",
          bucket: "deploy-src",
          artifact: "Images",
          deploy: {
            name: "Web",
            actionTypeId: { category: "Deploy", owner: "AWS", provider: "ECS", version: "1" },
            configuration: { ClusterName: "deploy", ServiceName: "web", DeploymentTimeout: "15" },
          },
        }),
      }),
    );
    const first = await latestExecution(undefined);
    const v2Ms = Date.now() - started;
    expect(first.status).toBe("Succeeded");
    // Succeeded only once every task serves v2.
    expect(await servedVersions()).toEqual(["web v2", "web v2"]);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: "deploy", services: ["web"] })))
      .services![0]!;
    expect(service.taskDefinition).toMatch(/task-definition\/web:2$/u);

    const brokenStarted = Date.now();
    await upload([{ name: "web", imageUri: "pipewright-test/web:v3" }]);
    const second = await latestExecution(first.pipelineExecutionId);
    const v3Ms = Date.now() - brokenStarted;
    expect(second.status).toBe("Failed");
    const state = await pipelines.send(new GetPipelineStateCommand({ name: "deploy" }));
    const deploy = state.stageStates?.find((s) => s.stageName === "Deploy")?.actionStates?.[0]
      ?.latestExecution;
    expect(deploy?.status).toBe("Failed");
    expect(deploy?.errorDetails?.message).toMatch(/circuit breaker/iu);
    expect(deploy?.errorDetails?.message).toContain("Latest service events");
    // Far inside DeploymentTimeout (15 minutes).
    expect(v3Ms).toBeLessThan(120_000);
    // The service rolls back to v2, which keeps serving.
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 120, minDelay: 1, maxDelay: 2 },
      { cluster: "deploy", services: ["web"] },
    );
    expect(await servedVersions()).toEqual(["web v2", "web v2"]);
    const actions = await pipelines.send(new ListActionExecutionsCommand({ pipelineName: "deploy" }));
    expect(
      actions.actionExecutionDetails?.filter((a) => a.actionName === "Web").map((a) => a.status),
    ).toEqual(["Failed", "Succeeded"]);
    console.log(
      `ECS deploy action: v2 rolled out in ${v2Ms} ms; broken v3 failed the action in ${v3Ms} ms:\n${deploy?.errorDetails?.message}`,
    );
  });

  it("fails with the valid container names when imagedefinitions.json names another container", {
    timeout: 120_000,
  }, async ({ skip }) => {
    if (!ready) skip(reason);
    const before = (await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: "deploy" })))
      .pipelineExecutionSummaries?.[0]?.pipelineExecutionId;
    await upload([{ name: "api", imageUri: "pipewright-test/web:v2" }]);
    const run = await latestExecution(before);
    expect(run.status).toBe("Failed");
    const state = await pipelines.send(new GetPipelineStateCommand({ name: "deploy" }));
    const message = state.stageStates?.find((s) => s.stageName === "Deploy")?.actionStates?.[0]
      ?.latestExecution?.errorDetails?.message;
    expect(message).toContain("'api'");
    expect(message).toContain("web");
  });
});
