import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxAvailable } from "../../src/build-agent/executors/sandbox-executor.js";
import { ensureDockerCliImage } from "../support/images.js";
import { awsEnv, awsJson, createDocker, dockerEngine } from "../support/registry-tools.js";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";

// CodeBuild builds on a server with credentials configured, running the seeds' buildspec
// unchanged (apart from where the registry is): `aws ecr get-login-password | docker login`,
// CLI v1's `$(aws ecr get-login --no-include-email)`, `aws ssm`, `aws s3 cp`, boto3 and SDK v3,
// all with credentials Pipewright issued for the build. On the host, in the bubblewrap sandbox
// and in a container. Needs dockerd (PIPEWRIGHT_REQUIRE_DOCKER=1 fails instead of skipping).
const engine = await dockerEngine();
const required = process.env.PIPEWRIGHT_REQUIRE_DOCKER === "1";
const skip =
  engine.ok || required
    ? false
    : `${engine.ok ? "" : engine.reason} (set PIPEWRIGHT_REQUIRE_DOCKER=1 to fail instead)`;
if (skip) process.stdout.write(`skipping registry CodeBuild tests: ${skip}\n`);
const sandbox = sandboxAvailable();
const sandboxSkip =
  sandbox.ok || process.env.PIPEWRIGHT_REQUIRE_BWRAP === "1"
    ? false
    : `no sandbox: ${sandbox.ok ? "" : sandbox.reason}`;

const KEYS = { id: "AKIDCB", secret: "codebuild-secret" };

const hostBuildspec = (bucket: string) => `version: 0.2
phases:
  pre_build:
    commands:
      - test -z "$AWS_ACCESS_KEY_ID"
      - aws configure list | grep container-role
      - aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $REGISTRY
      - $(aws ecr get-login --no-include-email --region $AWS_DEFAULT_REGION)
      - GREETING=$(aws ssm get-parameter --name /ci/greeting --query Parameter.Value --output text)
      - mkdir -p ctx && cp /bin/busybox ctx/ && echo "$GREETING" > ctx/greeting.txt
      - printf 'FROM scratch\\nCOPY busybox /bin/busybox\\nCOPY greeting.txt /greeting.txt\\nCMD ["/bin/busybox","cat","/greeting.txt"]\\n' > ctx/Dockerfile
  build:
    commands:
      - IMAGE_TAG=$EXECUTOR-$CODEBUILD_BUILD_NUMBER-$(date +%s)
      - docker build -q -t $REPOSITORY_URI:$IMAGE_TAG ctx
      - docker push $REPOSITORY_URI:$IMAGE_TAG
  post_build:
    commands:
      - printf '[{"name":"web","imageUri":"%s"}]' $REPOSITORY_URI:$IMAGE_TAG > imagedefinitions.json
      - aws s3 cp imagedefinitions.json s3://${bucket}/$EXECUTOR/imagedefinitions.json
      - /usr/bin/python3 -c "import boto3; print('boto3 says', boto3.client('ssm').get_parameter(Name='/ci/greeting')['Parameter']['Value'])"
      - node -e "const {S3Client,ListBucketsCommand}=require('@aws-sdk/client-s3');new S3Client({forcePathStyle:true}).send(new ListBucketsCommand({})).then(r=>console.log('sdk v3 sees',r.Buckets.map(b=>b.Name).join(',')))"
`;

// The container image has busybox and the docker CLI, no AWS CLI: the shim answers the logins.
const containerBuildspec = `version: 0.2
phases:
  pre_build:
    commands:
      - aws ecr get-login-password | docker login --username AWS --password-stdin $REGISTRY
      - $(aws ecr get-login --no-include-email)
      - mkdir -p ctx && cp /bin/busybox ctx/ && echo from-a-container > ctx/greeting.txt
      - printf 'FROM scratch\\nCOPY busybox /bin/busybox\\nCOPY greeting.txt /greeting.txt\\n' > ctx/Dockerfile
  build:
    commands:
      - IMAGE_TAG=container-$CODEBUILD_BUILD_NUMBER-$(date +%s)
      - docker build -q -t $REPOSITORY_URI:$IMAGE_TAG ctx
      - docker push $REPOSITORY_URI:$IMAGE_TAG
      - echo "pushed $REPOSITORY_URI:$IMAGE_TAG"
`;

describe.skipIf(Boolean(skip))("the seeds' buildspec in CodeBuild builds on Pipewright", () => {
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;
  let host = "";
  const suffix = randomBytes(4).toString("hex");
  const repo = `cb-${suffix}/web`;
  const bucket = `cb-out-${suffix}`;
  const docker = createDocker();
  const hostDockerConfig = mkdtempSync(join(tmpdir(), "pw-build-docker-"));
  const pulled: string[] = [];
  const aws = (...args: string[]) => awsJson(server.endpoint, env, ...args);

  beforeAll(async () => {
    if (!engine.ok) throw new Error(`PIPEWRIGHT_REQUIRE_DOCKER=1 but ${engine.reason}`);
    server = await startServerProcess({
      env: { PIPEWRIGHT_CREDENTIALS: `${KEYS.id}:${KEYS.secret}` },
    });
    host = new URL(server.endpoint).host;
    env = awsEnv(server.dataDir, KEYS);
    for (const args of [
      ["ecr", "create-repository", "--repository-name", repo],
      ["ssm", "put-parameter", "--name", "/ci/greeting", "--value", `hello-${suffix}`, "--type", "String"],
      ["s3", "mb", `s3://${bucket}`],
    ]) {
      const done = await aws(...args);
      if (done.code !== 0) throw new Error(`${args.join(" ")}: ${done.stderr}`);
    }
  }, 60_000);
  afterAll(async () => {
    if (pulled.length > 0) await docker.run(["rmi", "--force", ...pulled]);
    await server?.kill();
    if (server) removeDir(server.dataDir);
    rmSync(docker.config, { recursive: true, force: true });
    rmSync(hostDockerConfig, { recursive: true, force: true });
  });

  async function runBuild(
    name: string,
    executor: string,
    buildspec: string,
    image: string,
    extra: Record<string, string>,
  ) {
    const project = {
      name,
      source: { type: "NO_SOURCE", buildspec },
      artifacts: { type: "NO_ARTIFACTS" },
      environment: {
        type: "LINUX_CONTAINER",
        image,
        computeType: "BUILD_GENERAL1_SMALL",
        privilegedMode: true,
        environmentVariables: Object.entries({
          REGISTRY: host,
          REPOSITORY_URI: `${host}/${repo}`,
          EXECUTOR: executor,
          ...extra,
        }).map(([n, value]) => ({ name: n, value })),
      },
      serviceRole: "arn:aws:iam::000000000000:role/codebuild",
      tags: [{ key: "pipewright:executor", value: executor }],
    };
    const created = await aws("codebuild", "create-project", "--cli-input-json", JSON.stringify(project));
    expect(created.code, created.stderr).toBe(0);
    const started = await aws("codebuild", "start-build", "--project-name", name);
    const id = (started.json.build as { id: string }).id;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const got = await aws("codebuild", "batch-get-builds", "--ids", id);
      const build = (got.json.builds as { buildComplete: boolean; buildStatus: string }[])[0]!;
      if (build.buildComplete) {
        const log = await fetch(`${server.endpoint}/_pipewright/builds/${encodeURIComponent(id)}/log`, {
          headers: { authorization: `Basic ${Buffer.from(`${KEYS.id}:${KEYS.secret}`).toString("base64")}` },
        }).then((r) => r.text());
        return { status: build.buildStatus, log };
      }
      if (Date.now() > deadline)
        throw new Error(`build ${id} did not finish:\n${server.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function pullable(imageUri: string, expected: string) {
    const password = (await awsJson(server.endpoint, env, "ecr", "get-authorization-token")).json
      .authorizationData as {
      authorizationToken: string;
    }[];
    const secret = Buffer.from(password[0]!.authorizationToken, "base64").toString().slice("AWS:".length);
    expect((await docker.run(["login", "-u", "AWS", "--password-stdin", host], secret)).code).toBe(0);
    const pull = await docker.run(["pull", imageUri]);
    expect(pull.code, pull.stderr).toBe(0);
    pulled.push(imageUri);
    const ran = await docker.run(["run", "--rm", imageUri, "/bin/busybox", "cat", "/greeting.txt"]);
    expect(ran.stdout.trim()).toBe(expected);
  }

  for (const executor of ["host", "sandbox"] as const) {
    it.skipIf(executor === "sandbox" && Boolean(sandboxSkip))(
      `logs in, builds, pushes and writes imagedefinitions.json on the ${executor}`,
      async () => {
        const dockerConfig = executor === "host" ? join(hostDockerConfig, "host") : "/tmp/docker-config";
        const result = await runBuild(
          `seed-${executor}`,
          executor,
          hostBuildspec(bucket),
          "aws/codebuild/standard:7.0",
          {
            DOCKER_CONFIG: dockerConfig,
            NODE_PATH: join(repoRoot, "node_modules"),
          },
        );
        expect(result.status, result.log).toBe("SUCCEEDED");
        expect(result.log).toContain(`boto3 says hello-${suffix}`);
        expect(result.log).toContain(`sdk v3 sees ${bucket}`);
        const copied = await awsJson(
          server.endpoint,
          env,
          "s3",
          "cp",
          `s3://${bucket}/${executor}/imagedefinitions.json`,
          join(server.dataDir, `${executor}.json`),
        );
        expect(copied.code, copied.stderr).toBe(0);
        const definitions = JSON.parse(readFileSync(join(server.dataDir, `${executor}.json`), "utf8")) as {
          name: string;
          imageUri: string;
        }[];
        expect(definitions[0]!.imageUri).toMatch(new RegExp(`^${host}/${repo}:${executor}-1-\\d+$`, "u"));
        await pullable(definitions[0]!.imageUri, `hello-${suffix}`);
      },
      150_000,
    );
  }

  it("logs in and pushes from a container build whose image has no AWS CLI", async () => {
    const image = await ensureDockerCliImage(new Docker());
    const result = await runBuild("seed-container", "container", containerBuildspec, image, {});
    expect(result.status, result.log).toBe("SUCCEEDED");
    const uri = /^pushed (\S+)$/mu.exec(result.log)?.[1];
    expect(uri).toMatch(new RegExp(`^${host}/${repo}:container-1-\\d+$`, "u"));
    await pullable(uri!, "from-a-container");
  }, 150_000);
});
