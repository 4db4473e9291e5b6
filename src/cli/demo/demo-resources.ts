import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { writeZip } from "../../zip/index.js";
import { DEMO_SOURCES } from "./app-repository.js";
import type { DemoApi } from "./demo-api.js";
import type { DemoMode } from "./demo-mode.js";
import { DEMO } from "./demo-names.js";
import { demoPipeline } from "./demo-pipeline.js";

export interface DemoResources {
  readonly cloneUrl: string;
}

async function zipOf(name: string, text: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await writeZip([{ name, source: { kind: "data", data: Buffer.from(text) } }], out);
  return Buffer.concat(chunks).toString("base64");
}

/** The container the services run: the image's busybox httpd, or `node server.mjs` on the host. */
function container(mode: DemoMode, node: string) {
  const common = {
    name: DEMO.service,
    image: "demo-app:placeholder",
    essential: true,
    portMappings: [{ containerPort: 8080, hostPort: 0 }],
    stopTimeout: 1,
  };
  if (mode.runtime === "docker") {
    return {
      ...common,
      memory: 64,
      healthCheck: {
        command: ["CMD", "/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
        interval: 5,
        timeout: 2,
        retries: 1,
      },
    };
  }
  const probe =
    "fetch('http://127.0.0.1:'+process.env.PORT+'/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))";
  return {
    ...common,
    command: [node, "server.mjs"],
    // A Node process per check costs 0.1 to 0.3 s of CPU, seconds on a loaded 2-core machine:
    // a 2 s timeout failed healthy v2 tasks there while the load generator ran.
    healthCheck: { command: ["CMD", node, "-e", probe], interval: 10, timeout: 10, retries: 1 },
  };
}

/**
 * Creates what the pipeline needs, through the public APIs only, in the order a user's script
 * would: the hosted repository, the ECR repository, the clusters, task definitions and services
 * (at 0 tasks: the pipeline scales them), the CodeBuild project, the two functions and the
 * pipeline itself (created after the first push, so its first execution builds v1).
 */
export async function createDemoResources(
  api: DemoApi,
  mode: DemoMode,
  options: { readonly releasesDir: string; readonly accountId: string },
): Promise<DemoResources> {
  const repo = await api.call<{ repositoryMetadata: { cloneUrlHttp: string } }>(
    "codecommit",
    "CreateRepository",
    { repositoryName: DEMO.repository, repositoryDescription: "pipewright demo: the sample web app" },
  );
  const registryHost = new URL(api.endpoint).host;
  let repositoryUri = `${registryHost}/${DEMO.repository}`;
  if (mode.runtime === "docker") {
    const ecr = await api.call<{ repository: { repositoryUri: string } }>("ecr", "CreateRepository", {
      repositoryName: DEMO.repository,
    });
    repositoryUri = ecr.repository.repositoryUri;
  }
  for (const cluster of DEMO.clusters) {
    await api.call("ecs", "CreateCluster", { clusterName: cluster });
    const family = `demo-app-${cluster}`;
    await api.call("ecs", "RegisterTaskDefinition", {
      family,
      containerDefinitions: [container(mode, process.execPath)],
    });
    await api.call("ecs", "CreateService", {
      cluster,
      serviceName: DEMO.service,
      taskDefinition: family,
      desiredCount: 0,
      ...(mode.runtime === "process" ? { launchType: "EXTERNAL" } : {}),
      loadBalancers: [
        {
          targetGroupArn: `arn:aws:elasticloadbalancing:${api.region}:${options.accountId}:targetgroup/demo-${cluster}/0123456789abcdef`,
          containerName: DEMO.service,
          containerPort: 8080,
        },
      ],
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
  }
  const variables: Record<string, string> =
    mode.runtime === "docker"
      ? {
          DEMO_RUNTIME: "docker",
          REGISTRY: registryHost,
          REPOSITORY_URI: repositoryUri,
          BUSYBOX: mode.busybox!,
        }
      : { DEMO_RUNTIME: "process", RELEASES_DIR: options.releasesDir };
  await api.call("codebuild", "CreateProject", {
    name: DEMO.project,
    source: { type: "CODEPIPELINE" },
    artifacts: { type: "CODEPIPELINE" },
    environment: {
      type: "LINUX_CONTAINER",
      image: "aws/codebuild/standard:7.0",
      computeType: "BUILD_GENERAL1_SMALL",
      privilegedMode: true,
      environmentVariables: Object.entries(variables).map(([name, value]) => ({ name, value })),
    },
    serviceRole: `arn:aws:iam::${options.accountId}:role/demo-codebuild`,
    // Process mode writes the release next to the demo's data: the host, not the sandbox, which
    // keeps the host read-only (docs/codebuild.md, Executors).
    ...(mode.runtime === "process" ? { tags: [{ key: "pipewright:executor", value: "host" }] } : {}),
  });
  for (const [name, file] of [
    [DEMO.integrationTest, "integration-test.js"],
    [DEMO.scaleService, "scale-service.js"],
  ] as const) {
    await api.lambda("POST", "/2015-03-31/functions", {
      FunctionName: name,
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: `arn:aws:iam::${options.accountId}:role/demo-lambda`,
      Timeout: 30,
      Code: { ZipFile: await zipOf("index.js", readFileSync(join(DEMO_SOURCES, "functions", file), "utf8")) },
    });
  }
  return { cloneUrl: repo.repositoryMetadata.cloneUrlHttp };
}

/** CreatePipeline: its first execution starts at once, from the branch's latest commit. */
export async function createDemoPipeline(api: DemoApi, accountId: string): Promise<void> {
  await api.call("codepipeline", "CreatePipeline", { pipeline: demoPipeline(accountId) });
}
