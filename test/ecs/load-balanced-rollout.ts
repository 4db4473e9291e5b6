import { Sha256 } from "@aws-crypto/sha256-js";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import { SignatureV4 } from "@smithy/signature-v4";
import { expect } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Issue 12's zero-downtime acceptance through the built-in load balancer, shared by the
// host-process and Docker tests: a built server process, a 3-task service of busybox httpd
// behind a target group, rolled v1 -> v2 while 4 clients send requests without pause to the load
// balancer's endpoint (DescribeServices' pipewrightEndpoint). Every request must succeed; tasks
// open and running stay inside minimumHealthyPercent / maximumPercent at every sample.

type ContainerDefinition = NonNullable<RegisterTaskDefinitionCommandInput["containerDefinitions"]>[number];

export interface LoadBalancedRolloutOptions {
  /** The server's environment (PIPEWRIGHT_ECS_RUNTIME selects where tasks run). */
  readonly env: Record<string, string>;
  /** The container of version `v1` / `v2`: serves its version at `/` on containerPort 8080. */
  readonly container: (version: string) => ContainerDefinition;
  /** After the rollout, while the server still runs: checks of where the tasks ran. */
  readonly inspect?: (server: ServerProcess, taskArns: readonly string[]) => Promise<void>;
  /** After the server is stopped (e.g. removing containers of its node that still run). */
  readonly cleanup?: (server: ServerProcess) => Promise<void>;
}

export interface LoadBalancedRolloutReport {
  readonly served: number;
  readonly failed: number;
  readonly rolledMs: number;
  readonly maxOpen: number;
  readonly minRunning: number;
  readonly samples: number;
}

const keys = { accessKeyId: "AKIDLB", secretAccessKey: "lb-secret" };
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** DescribeServices' raw answer: the SDKs drop members AWS does not have (pipewrightEndpoint). */
async function rawDescribe(endpoint: string): Promise<unknown> {
  const url = new URL(endpoint);
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
    body: JSON.stringify({ cluster: "lb", services: ["web"] }),
  });
  const raw = await fetch(endpoint, { method: "POST", headers: signed.headers, body: signed.body as string });
  return raw.json();
}

export async function runLoadBalancedRollout(
  options: LoadBalancedRolloutOptions,
): Promise<LoadBalancedRolloutReport> {
  const server = await startServerProcess({
    env: { PIPEWRIGHT_CREDENTIALS: `${keys.accessKeyId}:${keys.secretAccessKey}`, ...options.env },
  });
  const ecs = new ECSClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: keys,
    maxAttempts: 1,
  });
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: "lb" }));
    const v1 = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [options.container("v1")] }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: "lb",
        serviceName: "web",
        taskDefinition: v1.taskDefinition?.taskDefinitionArn,
        desiredCount: 3,
        loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: "web", containerPort: 8080 }],
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      }),
    );
    const stable = () =>
      waitUntilServicesStable(
        { client: ecs, maxWaitTime: 120, minDelay: 1, maxDelay: 1 },
        { cluster: "lb", services: ["web"] },
      );
    await stable();
    // The endpoint is there once the first task has joined the target group.
    let endpoint: string | undefined;
    let described: unknown;
    for (let i = 0; i < 100 && !endpoint; i++) {
      described = await rawDescribe(server.endpoint);
      endpoint = (described as { services?: { loadBalancers: { pipewrightEndpoint?: string }[] }[] })
        .services?.[0]?.loadBalancers[0]?.pipewrightEndpoint;
      if (!endpoint) await sleep(100);
    }
    expect(endpoint ?? JSON.stringify(described).slice(0, 3000)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    // The load balancer reaches the targets' first health checks.
    for (let i = 0; i < 100 && (await fetch(endpoint!).catch(() => undefined))?.status !== 200; i++)
      await sleep(100);

    let running = true;
    let served = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    const client = async () => {
      while (running) {
        try {
          const response = await fetch(endpoint!);
          const body = (await response.text()).trim();
          if (response.status === 200) {
            served++;
            seen.add(body);
          } else failures.push(`${response.status} ${body.slice(0, 100)}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const samples: { open: number; running: number }[] = [];
    const sampler = async () => {
      while (running) {
        const arns =
          (await ecs.send(new ListTasksCommand({ cluster: "lb", serviceName: "web" }))).taskArns ?? [];
        const service = (await ecs.send(new DescribeServicesCommand({ cluster: "lb", services: ["web"] })))
          .services![0]!;
        samples.push({ open: arns.length, running: service.runningCount ?? 0 });
        await sleep(200);
      }
    };
    const clients = [client(), client(), client(), client(), sampler()];
    const v2 = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [options.container("v2")] }),
    );
    const started = Date.now();
    await ecs.send(
      new UpdateServiceCommand({
        cluster: "lb",
        service: "web",
        taskDefinition: v2.taskDefinition?.taskDefinitionArn,
      }),
    );
    await sleep(2000);
    await stable();
    // Until the load balancer sends everything to v2 (the old targets drain, then stop).
    for (let i = 0; i < 200; i++) {
      const bodies = await Promise.all(
        [1, 2, 3, 4, 5, 6].map(async () => (await (await fetch(endpoint!)).text()).trim()),
      );
      if (bodies.every((b) => b === "v2")) break;
      await sleep(100);
    }
    const rolledMs = Date.now() - started;
    running = false;
    await Promise.all(clients);
    const report: LoadBalancedRolloutReport = {
      served,
      failed: failures.length,
      rolledMs,
      maxOpen: Math.max(...samples.map((s) => s.open)),
      minRunning: Math.min(...samples.map((s) => s.running)),
      samples: samples.length,
    };
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(100);
    expect([...seen].sort()).toEqual(["v1", "v2"]);
    // minimumHealthyPercent 100 and maximumPercent 200 of 3 tasks.
    for (const s of samples) {
      expect(s.open).toBeLessThanOrEqual(6);
      expect(s.running).toBeGreaterThanOrEqual(3);
    }
    const arns = (await ecs.send(new ListTasksCommand({ cluster: "lb", serviceName: "web" }))).taskArns ?? [];
    expect(arns).toHaveLength(3);
    await options.inspect?.(server, arns);
    return report;
  } finally {
    ecs.destroy();
    await server.kill();
    await options.cleanup?.(server);
    removeDir(server.dataDir);
  }
}
