import { Sha256 } from "@aws-crypto/sha256-js";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Issue 12's zero-downtime acceptance through the built-in load balancer: a 3-task service of
// busybox httpd (host processes, so it needs no engine) behind a target group, rolled v1 -> v2
// while 4 clients send requests without pause to the load balancer's endpoint (DescribeServices'
// pipewrightEndpoint). Every request must succeed; tasks open and running stay inside
// minimumHealthyPercent / maximumPercent at every sample.

const keys = { accessKeyId: "AKIDLB", secretAccessKey: "lb-secret" };
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";

function container(version: string) {
  return {
    name: "web",
    image: `web:${version}`,
    essential: true,
    entryPoint: ["/bin/sh", "-c"],
    command: [
      `d=$(mktemp -d) && echo ${version} > $d/index.html && exec busybox httpd -f -p 127.0.0.1:$PORT -h $d`,
    ],
    portMappings: [{ containerPort: 8080, hostPort: 0 }],
    healthCheck: {
      command: ["CMD-SHELL", "busybox wget -q -O /dev/null http://127.0.0.1:$PORT/"],
      interval: 5,
      timeout: 2,
      retries: 1,
    },
    stopTimeout: 2,
  };
}

describe("an ECS service behind the built-in load balancer", () => {
  let server: ServerProcess;
  let ecs: ECSClient;
  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_CREDENTIALS: `${keys.accessKeyId}:${keys.secretAccessKey}`,
        PIPEWRIGHT_ECS_RUNTIME: "process",
      },
    });
    ecs = new ECSClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: keys,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    ecs?.destroy();
    const killed = Date.now();
    await server?.kill();
    console.log(`server stopped in ${Date.now() - killed} ms`);
    if (server) removeDir(server.dataDir);
  }, 120_000);

  it("rolls v1 to v2 under continuous load with no failed request", { timeout: 180_000 }, async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "lb" }));
    const v1 = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [container("v1")] }),
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
    // The SDKs drop members AWS does not have: read DescribeServices' raw answer. The endpoint
    // is there once the first task has joined the target group.
    let endpoint: string | undefined;
    let described: unknown;
    for (let i = 0; i < 100 && !endpoint; i++) {
      const url = new URL(server.endpoint);
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
      const raw = await fetch(server.endpoint, {
        method: "POST",
        headers: signed.headers,
        body: signed.body as string,
      });
      described = await raw.json();
      endpoint = (described as { services?: { loadBalancers: { pipewrightEndpoint?: string }[] }[] })
        .services?.[0]?.loadBalancers[0]?.pipewrightEndpoint;
      if (!endpoint) await new Promise((done) => setTimeout(done, 100));
    }
    expect(endpoint ?? JSON.stringify(described).slice(0, 3000)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    // The load balancer reaches the targets' first health checks.
    for (let i = 0; i < 100 && (await fetch(endpoint!).catch(() => undefined))?.status !== 200; i++)
      await new Promise((done) => setTimeout(done, 100));

    let running = true;
    let ok = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    const client = async () => {
      while (running) {
        try {
          const response = await fetch(endpoint!);
          const body = (await response.text()).trim();
          if (response.status === 200) {
            ok++;
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
        await new Promise((done) => setTimeout(done, 200));
      }
    };
    const clients = [client(), client(), client(), client(), sampler()];
    const v2 = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [container("v2")] }),
    );
    const started = Date.now();
    await ecs.send(
      new UpdateServiceCommand({
        cluster: "lb",
        service: "web",
        taskDefinition: v2.taskDefinition?.taskDefinitionArn,
      }),
    );
    await new Promise((done) => setTimeout(done, 2000));
    await stable();
    // Until the load balancer sends everything to v2 (the old targets drain, then stop).
    for (let i = 0; i < 200; i++) {
      const bodies = await Promise.all(
        [1, 2, 3, 4, 5, 6].map(async () => (await (await fetch(endpoint!)).text()).trim()),
      );
      if (bodies.every((b) => b === "v2")) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    const rolledMs = Date.now() - started;
    running = false;
    await Promise.all(clients);
    console.log(
      `load-balanced rollout v1 -> v2: ${ok} requests served, ${failures.length} failed, ${rolledMs} ms; tasks open at most ${Math.max(...samples.map((s) => s.open))}, running at least ${Math.min(...samples.map((s) => s.running))} over ${samples.length} samples`,
    );
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(100);
    expect([...seen].sort()).toEqual(["v1", "v2"]);
    // minimumHealthyPercent 100 and maximumPercent 200 of 3 tasks.
    for (const s of samples) {
      expect(s.open).toBeLessThanOrEqual(6);
      expect(s.running).toBeGreaterThanOrEqual(3);
    }
  });
});
