import { PassThrough } from "node:stream";
import { Sha256 } from "@aws-crypto/sha256-js";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { writeZip } from "../../src/zip/index.js";
import { BUSYBOX_IMAGE, buildImage, ensureBusyboxImage } from "../support/images.js";
import { createSourceBucket, s3DeployPipeline } from "../support/s3-deploy-pipeline.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Issue 12's blue/green acceptance: a pipeline whose S3 source holds taskdef.json, appspec.yaml
// and imageDetail.json runs Deploy/AWS/CodeDeployToECS onto a 2-task busybox httpd service
// behind the built-in load balancer, while 4 clients request its endpoint without pause. (1) v2
// replaces v1: once a response came from green, no later request reaches blue, and no request
// fails. (2) a v3 whose httpd listens where no health check looks: the action fails fast with
// the reason, and blue (v2) answers every request. Host processes always; Docker when dockerd answers.

const keys = { accessKeyId: "AKIDBG", secretAccessKey: "bg-secret" };
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/bg/0123456789abcdef";

type Mode = "process" | "docker";

function taskDefinition(mode: Mode, broken: boolean) {
  // Broken, as a host process: httpd on its own port, but with nothing at `/` (404), so the health
  // check fails. (Listening on another port, as the Docker image does, could find it taken.)
  const page = broken ? "" : " && echo $VERSION > $d/index.html";
  const web =
    mode === "process"
      ? {
          entryPoint: ["/bin/sh", "-c"],
          command: [`d=$(mktemp -d)${page} && exec busybox httpd -f -p 127.0.0.1:$PORT -h $d`],
          environment: [{ name: "VERSION", value: "<IMAGE1_NAME>" }],
          healthCheck: {
            command: ["CMD-SHELL", "busybox wget -q -O /dev/null http://127.0.0.1:$PORT/"],
            interval: 5,
            timeout: 2,
            retries: 1,
          },
        }
      : {
          memory: 64,
          healthCheck: {
            command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"],
            interval: 5,
            timeout: 2,
            retries: 1,
          },
        };
  return {
    family: "web",
    containerDefinitions: [
      {
        name: "web",
        image: "<IMAGE1_NAME>",
        essential: true,
        portMappings: [{ containerPort: 8080, hostPort: 0 }],
        stopTimeout: 2,
        ...web,
      },
    ],
  };
}

const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 8080
`;

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

interface Answer {
  readonly sent: number;
  readonly received: number;
  readonly body: string;
}

/** Clients that request the endpoint without pause until stopped; every answer or failure is kept. */
function load(endpoint: string, clients = 4) {
  let running = true;
  const answers: Answer[] = [];
  const failures: string[] = [];
  const one = async () => {
    while (running) {
      const sent = performance.now();
      try {
        const response = await fetch(endpoint);
        const body = (await response.text()).trim();
        if (response.status === 200) answers.push({ sent, received: performance.now(), body });
        else failures.push(`${response.status} ${body.slice(0, 200)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const all = Array.from({ length: clients }, one);
  return {
    answers,
    failures,
    async stop() {
      running = false;
      await Promise.all(all);
    },
  };
}

for (const mode of ["process", "docker"] as const) {
  describe(`the CodeDeployToECS blue/green action (${mode === "process" ? "host processes" : "Docker"})`, () => {
    let server: ServerProcess | undefined;
    let ecs: ECSClient;
    let s3: S3Client;
    let pipelines: CodePipelineClient;
    let endpoint = "";
    let skipReason = "";
    const image = (v: string) => (mode === "process" ? `bg:${v}` : `pipewright-test/bg:${v}`);

    beforeAll(async () => {
      if (mode === "docker") {
        const engine = await connectEngine();
        if (!engine) {
          skipReason = "no Docker Engine or Podman API answers";
          return;
        }
        try {
          await ensureBusyboxImage(engine.docker);
          for (const [v, port] of [
            ["v1", 8080],
            ["v2", 8080],
            ["v3", 8081],
          ] as const)
            await buildImage(engine.docker, image(v), [
              {
                type: "file",
                name: "Dockerfile",
                data: Buffer.from(
                  `FROM ${BUSYBOX_IMAGE}\nCOPY index.html /www/index.html\nCMD ["httpd", "-f", "-p", "${port}", "-h", "/www"]\n`,
                ),
              },
              { type: "file", name: "index.html", data: Buffer.from(`${image(v)}\n`) },
            ]);
        } catch (error) {
          skipReason = `the test images could not be built: ${(error as Error).message}`;
          return;
        }
      }
      server = await startServerProcess({
        env: {
          PIPEWRIGHT_CREDENTIALS: `${keys.accessKeyId}:${keys.secretAccessKey}`,
          PIPEWRIGHT_BLUE_GREEN_BAKE_SECONDS: "3",
          ...(mode === "process" ? { PIPEWRIGHT_ECS_RUNTIME: "process" } : {}),
        },
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
    }, 120_000);

    async function rawEndpoint(): Promise<string | undefined> {
      const url = new URL(server!.endpoint);
      const signed = await new SignatureV4({
        service: "ecs",
        region: "us-east-1",
        credentials: keys,
        sha256: Sha256,
      }).sign({
        method: "POST",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        headers: {
          host: url.host,
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AmazonEC2ContainerServiceV20141113.DescribeServices",
        },
        body: JSON.stringify({ cluster: "bg", services: ["web"] }),
      });
      const raw = await fetch(server!.endpoint, {
        method: "POST",
        headers: signed.headers,
        body: signed.body as string,
      });
      const described = (await raw.json()) as {
        services?: { loadBalancers: { pipewrightEndpoint?: string }[] }[];
      };
      return described.services?.[0]?.loadBalancers[0]?.pipewrightEndpoint;
    }

    async function upload(version: string, broken = false) {
      await s3.send(
        new PutObjectCommand({
          Bucket: "bg-src",
          Key: "deploy.zip",
          Body: await zipOf({
            "taskdef.json": JSON.stringify(taskDefinition(mode, broken), null, 2),
            "appspec.yaml": APPSPEC,
            "imageDetail.json": JSON.stringify({ ImageURI: image(version) }),
          }),
        }),
      );
    }

    async function finished(after: string | undefined) {
      for (;;) {
        const latest = (await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: "bg" })))
          .pipelineExecutionSummaries?.[0];
        if (latest && latest.pipelineExecutionId !== after && latest.status !== "InProgress") return latest;
        await new Promise((done) => setTimeout(done, 200));
      }
    }

    it("switches v1 to v2 with no request reaching blue after the switch and none failing", {
      timeout: 240_000,
    }, async ({ skip }) => {
      if (skipReason) skip(skipReason);
      await ecs.send(new CreateClusterCommand({ clusterName: "bg" }));
      const v1 = taskDefinition(mode, false);
      const rendered = JSON.parse(JSON.stringify(v1).split("<IMAGE1_NAME>").join(image("v1")));
      const blue = await ecs.send(new RegisterTaskDefinitionCommand(rendered));
      await ecs.send(
        new CreateServiceCommand({
          cluster: "bg",
          serviceName: "web",
          taskDefinition: blue.taskDefinition?.taskDefinitionArn,
          desiredCount: 2,
          loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: "web", containerPort: 8080 }],
          // A container that starts slowly may fail its first check (Pipewright checks at once).
          healthCheckGracePeriodSeconds: 3,
        }),
      );
      await waitUntilServicesStable(
        { client: ecs, maxWaitTime: 120, minDelay: 1, maxDelay: 1 },
        { cluster: "bg", services: ["web"] },
      );
      for (let i = 0; i < 100 && !endpoint; i++) {
        endpoint = (await rawEndpoint()) ?? "";
        if (!endpoint) await new Promise((done) => setTimeout(done, 100));
      }
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
      for (let i = 0; i < 100 && (await fetch(endpoint).catch(() => undefined))?.status !== 200; i++)
        await new Promise((done) => setTimeout(done, 100));

      await createSourceBucket(s3, "bg-src");
      await upload("v2");
      const traffic = load(endpoint);
      const started = performance.now();
      await pipelines.send(
        new CreatePipelineCommand({
          pipeline: s3DeployPipeline({
            name: "bg",
            bucket: "bg-src",
            artifact: "Src",
            deploy: {
              name: "BlueGreen",
              actionTypeId: { category: "Deploy", owner: "AWS", provider: "CodeDeployToECS", version: "1" },
              configuration: {
                ApplicationName: "bg",
                DeploymentGroupName: "web",
                TaskDefinitionTemplateArtifact: "Src",
                AppSpecTemplateArtifact: "Src",
                Image1ArtifactName: "Src",
                Image1ContainerName: "IMAGE1_NAME",
              },
            },
          }),
        }),
      );
      const run = await finished(undefined);
      const deployMs = performance.now() - started;
      // The service now runs only v2 (blue stopped): a few more requests after the action.
      await new Promise((done) => setTimeout(done, 500));
      await traffic.stop();
      const state = await pipelines.send(new GetPipelineStateCommand({ name: "bg" }));
      const action = state.stageStates?.find((s) => s.stageName === "Deploy")?.actionStates?.[0]
        ?.latestExecution;
      expect(action?.errorDetails?.message ?? run.status).toBe("Succeeded");
      const firstGreen = traffic.answers
        .filter((a) => a.body.endsWith("v2"))
        .sort((a, b) => a.received - b.received)[0];
      expect(firstGreen).toBeDefined();
      const after = traffic.answers.filter((a) => a.sent > firstGreen!.received);
      const blueAfter = after.filter((a) => !a.body.endsWith("v2"));
      const blueBefore = traffic.answers.filter((a) => a.body.endsWith("v1")).length;
      console.log(
        `blue/green v1 -> v2 (${mode}): action ${Math.round(deployMs)} ms (source + green start + switch + 3 s bake + blue stop), first green answer ${Math.round(firstGreen!.received - started)} ms after the pipeline started; ${traffic.answers.length} requests served (${blueBefore} by blue, then ${after.length} sent after the first green answer, ${blueAfter.length} of them by blue), ${traffic.failures.length} failed`,
      );
      expect(traffic.failures).toEqual([]);
      expect(blueBefore).toBeGreaterThan(10);
      expect(after.length).toBeGreaterThan(10);
      expect(blueAfter).toEqual([]);
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: "bg", services: ["web"] })))
        .services![0]!;
      expect(
        service.deployments?.map((d) => [d.status, d.rolloutState, d.taskDefinition?.split("/").pop()]),
      ).toEqual([["PRIMARY", "COMPLETED", "web:2"]]);
      expect(service.events?.some((e) => e.message?.includes("shifted production traffic"))).toBe(true);
      const tasks =
        (await ecs.send(new ListTasksCommand({ cluster: "bg", serviceName: "web" }))).taskArns ?? [];
      expect(tasks).toHaveLength(2);
    });

    it("fails fast with the reason when green fails its health checks, blue serving every request", {
      timeout: 180_000,
    }, async ({ skip }) => {
      if (skipReason) skip(skipReason);
      if (!endpoint) throw new Error("the first test did not get the load balancer's endpoint");
      const before = (await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: "bg" })))
        .pipelineExecutionSummaries?.[0]?.pipelineExecutionId;
      const traffic = load(endpoint);
      const started = performance.now();
      await upload("v3", true);
      const run = await finished(before);
      const failedMs = performance.now() - started;
      // Green's tasks stop; blue keeps answering meanwhile.
      await new Promise((done) => setTimeout(done, 1500));
      await traffic.stop();
      expect(run.status).toBe("Failed");
      const state = await pipelines.send(new GetPipelineStateCommand({ name: "bg" }));
      const message =
        state.stageStates?.find((s) => s.stageName === "Deploy")?.actionStates?.[0]?.latestExecution
          ?.errorDetails?.message ?? "";
      console.log(
        `blue/green broken v3 (${mode}): the action failed ${Math.round(failedMs)} ms after the upload; ${traffic.answers.length} requests served, ${traffic.failures.length} failed, bodies ${[...new Set(traffic.answers.map((a) => a.body))].join(", ")}:\n${message}`,
      );
      expect(message).toMatch(
        /failed before the traffic switch: green task [0-9a-f]{32} (failed its container health check|stopped: Task failed container health checks|is unhealthy in target group bg)/u,
      );
      expect(message).toContain("Rolled back");
      expect(failedMs).toBeLessThan(60_000);
      expect(traffic.failures).toEqual([]);
      expect(traffic.answers.length).toBeGreaterThan(10);
      expect(traffic.answers.filter((a) => !a.body.endsWith("v2"))).toEqual([]);
      await waitUntilServicesStable(
        { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
        { cluster: "bg", services: ["web"] },
      );
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: "bg", services: ["web"] })))
        .services![0]!;
      expect(service.taskDefinition?.split("/").pop()).toBe("web:2");
    });

    it("fails with the exit code when green's essential container exits, blue serving every request", {
      timeout: 120_000,
    }, async ({ skip }) => {
      if (skipReason) skip(skipReason);
      const before = (await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: "bg" })))
        .pipelineExecutionSummaries?.[0]?.pipelineExecutionId;
      const exiting = {
        family: "web",
        containerDefinitions: [
          {
            name: "web",
            image: "<IMAGE1_NAME>",
            essential: true,
            entryPoint: ["/bin/sh", "-c"],
            command: ["exit 3"],
            portMappings: [{ containerPort: 8080, hostPort: 0 }],
          },
        ],
      };
      const traffic = load(endpoint);
      const started = performance.now();
      await s3.send(
        new PutObjectCommand({
          Bucket: "bg-src",
          Key: "deploy.zip",
          Body: await zipOf({
            "taskdef.json": JSON.stringify(exiting),
            "appspec.yaml": APPSPEC,
            "imageDetail.json": JSON.stringify({ ImageURI: image("v3") }),
          }),
        }),
      );
      const run = await finished(before);
      const failedMs = performance.now() - started;
      await traffic.stop();
      expect(run.status).toBe("Failed");
      const state = await pipelines.send(new GetPipelineStateCommand({ name: "bg" }));
      const message =
        state.stageStates?.find((s) => s.stageName === "Deploy")?.actionStates?.[0]?.latestExecution
          ?.errorDetails?.message ?? "";
      console.log(
        `blue/green exiting green (${mode}): the action failed ${Math.round(failedMs)} ms after the upload; ${traffic.answers.length} requests served, ${traffic.failures.length} failed:\n${message}`,
      );
      expect(message).toMatch(
        /green task [0-9a-f]{32} stopped: Essential container in task exited; container web exited with code 3/u,
      );
      expect(traffic.failures).toEqual([]);
      expect(traffic.answers.filter((a) => !a.body.endsWith("v2"))).toEqual([]);
    });

    it("fails at once, naming the file and listing the artifact's files, when taskdef.json is missing", {
      timeout: 60_000,
    }, async ({ skip }) => {
      if (skipReason) skip(skipReason);
      const before = (await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: "bg" })))
        .pipelineExecutionSummaries?.[0]?.pipelineExecutionId;
      await s3.send(
        new PutObjectCommand({
          Bucket: "bg-src",
          Key: "deploy.zip",
          Body: await zipOf({
            "appspec.yaml": APPSPEC,
            "imageDetail.json": JSON.stringify({ ImageURI: image("v4") }),
          }),
        }),
      );
      const run = await finished(before);
      expect(run.status).toBe("Failed");
      const state = await pipelines.send(new GetPipelineStateCommand({ name: "bg" }));
      const failed = state.stageStates?.find((s) => s.stageName === "Deploy")?.actionStates?.[0]
        ?.latestExecution;
      expect(failed?.errorDetails?.message).toBe(
        "The file taskdef.json does not exist in the input artifact Src. Files in the artifact: appspec.yaml, imageDetail.json. Add it to the artifact or set TaskDefinitionTemplatePath.",
      );
      // Nothing was registered or started: the service still runs v2 alone.
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: "bg", services: ["web"] })))
        .services![0]!;
      expect(service.deployments?.map((d) => d.taskDefinition?.split("/").pop())).toEqual(["web:2"]);
    });
  });
}
