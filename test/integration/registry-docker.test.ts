import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  awsEnv,
  awsJson,
  type CliResult,
  createDocker,
  dockerEngine,
  imageContext,
  pushedDigest,
  runTool,
} from "../support/registry-tools.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The real Docker CLI and dockerd against a real server process with credentials configured:
// login with `aws ecr get-login-password`, push, pull on a clean engine, a wrong password, and
// a push of `latest` starting an ECR-sourced pipeline. Without an engine the tests skip and say
// why, unless PIPEWRIGHT_REQUIRE_DOCKER=1 (CI), where they fail.
const engine = await dockerEngine();
const required = process.env.PIPEWRIGHT_REQUIRE_DOCKER === "1";
const skip =
  engine.ok || required
    ? false
    : `${engine.ok ? "" : engine.reason} (set PIPEWRIGHT_REQUIRE_DOCKER=1 to fail instead)`;
if (skip) process.stdout.write(`skipping registry Docker tests: ${skip}\n`);

const KEYS = { id: "AKIDREGISTRY", secret: "registry-secret" };

describe.skipIf(Boolean(skip))("docker push and pull against the registry (real dockerd)", () => {
  let server: ServerProcess;
  let host = "";
  let env: NodeJS.ProcessEnv;
  const docker = createDocker();
  const suffix = randomBytes(4).toString("hex");
  const repo = `it-${suffix}/app`;
  const contexts: string[] = [];
  const images: string[] = [];
  const ok = (r: CliResult, what: string) => {
    if (r.code !== 0)
      throw new Error(
        `${what} failed (${r.code}):\n${r.stdout}\n${r.stderr}\n${server.output().slice(-3000)}`,
      );
    return r;
  };
  const aws = (...args: string[]) => awsJson(server.endpoint, env, ...args);

  beforeAll(async () => {
    if (!engine.ok) throw new Error(`PIPEWRIGHT_REQUIRE_DOCKER=1 but ${engine.reason}`);
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_CREDENTIALS: `${KEYS.id}:${KEYS.secret}`,
        PIPEWRIGHT_TEST_PROVIDERS: "1",
        PIPEWRIGHT_START_ON_CREATE: "false",
        PIPEWRIGHT_POLL_INTERVAL_MS: "50",
      },
    });
    host = new URL(server.endpoint).host;
    env = awsEnv(server.dataDir, KEYS);
    ok(await aws("ecr", "create-repository", "--repository-name", repo), "create-repository");
  }, 60_000);

  afterAll(async () => {
    if (images.length > 0) await docker.run(["rmi", "--force", ...images]);
    await server?.kill();
    if (server) removeDir(server.dataDir);
    for (const dir of [...contexts, docker.config]) rmSync(dir, { recursive: true, force: true });
  });

  async function build(tag: string, marker: string): Promise<void> {
    const context = imageContext(marker);
    contexts.push(context);
    ok(await docker.run(["build", "-q", "-t", tag, context]), `docker build ${tag}`);
    images.push(tag);
  }

  it("logs in with get-login-password, and refuses a wrong password", async () => {
    const password = ok(
      await runTool("/usr/bin/aws", ["ecr", "get-login-password", "--endpoint-url", server.endpoint], {
        env,
      }),
      "get-login-password",
    ).stdout.trim();
    const wrong = await docker.run(
      ["login", "--username", "AWS", "--password-stdin", host],
      `${password.slice(0, -4)}AAAA`,
    );
    expect(wrong.code).not.toBe(0);
    expect(`${wrong.stdout}${wrong.stderr}`).toMatch(/401|unauthorized/i);
    const login = ok(
      await docker.run(["login", "--username", "AWS", "--password-stdin", host], password),
      "docker login",
    );
    expect(login.stdout).toContain("Login Succeeded");
  });

  it("pushes two tags of a two-layer image, pulls them back by tag and by digest, and describes both", async () => {
    const uri = `${host}/${repo}`;
    await build(`${uri}:v1`, `one-${suffix}`);
    ok(await docker.run(["tag", `${uri}:v1`, `${uri}:stable`]), "docker tag");
    images.push(`${uri}:stable`);
    const first = pushedDigest(ok(await docker.run(["push", `${uri}:v1`]), "push v1").stdout);
    const second = pushedDigest(ok(await docker.run(["push", `${uri}:stable`]), "push stable").stdout);
    expect(second).toBe(first);

    const described = await aws("ecr", "describe-images", "--repository-name", repo);
    const details = described.json.imageDetails as {
      imageDigest: string;
      imageTags: string[];
      imageSizeInBytes: number;
    }[];
    expect(details).toHaveLength(1);
    expect(details[0]!.imageDigest).toBe(first);
    expect([...details[0]!.imageTags].sort()).toEqual(["stable", "v1"]);
    expect(details[0]!.imageSizeInBytes).toBeGreaterThan(500_000);

    ok(await docker.run(["rmi", "--force", `${uri}:v1`, `${uri}:stable`]), "docker rmi");
    expect((await docker.run(["image", "inspect", `${uri}:v1`])).code).not.toBe(0);
    ok(await docker.run(["pull", `${uri}:v1`]), "pull by tag");
    ok(await docker.run(["pull", `${uri}@${first}`]), "pull by digest");
    images.push(`${uri}@${first}`);
    const ran = ok(await docker.run(["run", "--rm", `${uri}@${first}`]), "docker run");
    expect(ran.stdout.trim()).toBe(`one-${suffix}`);
  });

  it("starts an ECR-sourced pipeline when latest is pushed, with a digest-pinned imageDetail.json", async () => {
    const pipeline = `ecr-${suffix}`;
    const declaration = {
      pipeline: {
        name: pipeline,
        roleArn: "arn:aws:iam::000000000000:role/pipeline",
        artifactStore: { type: "S3", location: `artifacts-${suffix}` },
        stages: [
          {
            name: "Source",
            actions: [
              {
                name: "Image",
                actionTypeId: { category: "Source", owner: "AWS", provider: "ECR", version: "1" },
                configuration: { RepositoryName: repo },
                outputArtifacts: [{ name: "ImageArtifact" }],
                namespace: "SourceVariables",
              },
            ],
          },
          {
            name: "Deploy",
            actions: [
              {
                name: "Use",
                actionTypeId: { category: "Deploy", owner: "AWS", provider: "PipewrightTest", version: "1" },
                inputArtifacts: [{ name: "ImageArtifact" }],
              },
            ],
          },
        ],
      },
    };
    ok(
      await aws("codepipeline", "create-pipeline", "--cli-input-json", JSON.stringify(declaration)),
      "create-pipeline",
    );
    const uri = `${host}/${repo}`;
    await build(`${uri}:latest`, `latest-${suffix}`);
    const digest = pushedDigest(ok(await docker.run(["push", `${uri}:latest`]), "push latest").stdout);

    // The push started the pipeline before `docker push` returned.
    const listed = await aws("codepipeline", "list-pipeline-executions", "--pipeline-name", pipeline);
    const executions = listed.json.pipelineExecutionSummaries as {
      pipelineExecutionId: string;
      sourceRevisions?: { revisionId: string }[];
      trigger?: { triggerType: string };
    }[];
    expect(executions).toHaveLength(1);
    expect(executions[0]!.trigger?.triggerType).toBe("CloudWatchEvent");
    const executionId = executions[0]!.pipelineExecutionId;

    const deadline = Date.now() + 20_000;
    // biome-ignore lint/suspicious/noExplicitAny: CLI output is read member by member.
    type Detail = Record<string, any>;
    let source: Detail | undefined;
    while (Date.now() < deadline) {
      const actions = await aws(
        "codepipeline",
        "list-action-executions",
        "--pipeline-name",
        pipeline,
        "--filter",
        `pipelineExecutionId=${executionId}`,
      );
      source = (actions.json.actionExecutionDetails as Detail[] | undefined)?.find(
        (a) => a.actionName === "Image" && a.status === "Succeeded",
      );
      if (source) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(source, server.output().slice(-3000)).toBeDefined();
    expect(source!.output.outputVariables).toEqual({
      RegistryId: "000000000000",
      RepositoryName: repo,
      ImageTag: "latest",
      ImageDigest: digest,
      ImageURI: `${uri}@${digest}`,
    });
    const location = source!.output.outputArtifacts[0].s3location as { bucket: string; key: string };
    const zip = ok(
      await runTool(
        "/usr/bin/aws",
        [
          "s3",
          "cp",
          `s3://${location.bucket}/${location.key}`,
          `${server.dataDir}/image.zip`,
          "--endpoint-url",
          server.endpoint,
        ],
        { env },
      ),
      "s3 cp",
    );
    expect(zip.code).toBe(0);
    const unzip = ok(
      await runTool("python3", [
        "-c",
        "import sys,zipfile;print(zipfile.ZipFile(sys.argv[1]).read('imageDetail.json').decode())",
        `${server.dataDir}/image.zip`,
      ]),
      "unzip",
    );
    const detail = JSON.parse(unzip.stdout);
    expect(detail).toMatchObject({
      ImageDigest: digest,
      ImageURI: `${uri}@${digest}`,
      RepositoryName: repo,
      ImageTags: ["latest"],
      Version: "1.0",
    });
    expect(detail.ImagePushedAt).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/u);
  }, 60_000);
});
