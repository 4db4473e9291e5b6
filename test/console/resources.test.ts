import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodeCommitClient, CreateRepositoryCommand } from "@aws-sdk/client-codecommit";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { CreateRepositoryCommand as CreateImageRepositoryCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneUrl, createGitCli, type GitCli } from "../support/git-cli.js";
import { createOciClient, imageManifest, sha256 } from "../support/oci-client.js";
import { createSourceBucket, s3DeployPipeline } from "../support/s3-deploy-pipeline.js";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";
import { zipOf } from "../support/zip-files.js";
import {
  type ConsolePage,
  chromiumMissing,
  launchBrowser,
  seriousViolations,
  type TestBrowser,
} from "./browser.js";

// The console's resource pages (issue 15) in real Chromium against a real server process: a
// hosted repository with a commit pushed by real git, an ECR repository with an image pushed over
// the registry API, an ECS service of busybox httpd (host processes) behind the built-in load
// balancer, a Lambda function run by a pipeline's Invoke action (its log on the action's page).

/** docs/ holds the committed screenshots: PIPEWRIGHT_SCREENSHOTS=1 refreshes them; otherwise a temp file. */
function screenshotPath(name: string): string {
  return process.env.PIPEWRIGHT_SCREENSHOTS === "1"
    ? join(repoRoot, "docs", name)
    : join(tmpdir(), `pipewright-${name}`);
}

const region = "us-east-1";
const credentials = { accessKeyId: "AKIDCONSOLE", secretAccessKey: "secret" };
const TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";

const FUNCTION = `
const { CodePipelineClient, PutJobSuccessResultCommand } = require("@aws-sdk/client-codepipeline");
exports.handler = async (event) => {
  console.log("hello from the function, job " + event["CodePipeline.job"].id);
  await new CodePipelineClient({}).send(new PutJobSuccessResultCommand({ jobId: event["CodePipeline.job"].id }));
  return "done";
};`;

/** Waits until the element's text contains `text` (the pages poll; they are never reloaded). */
async function waitText(page: Page, selector: string, text: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) =>
      (
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string | null } | null };
          }
        ).document.querySelector(sel)?.textContent ?? ""
      ).includes(want),
    [selector, text] as const,
    { timeout, polling: 50 },
  );
}

describe.skipIf(chromiumMissing !== undefined)(
  "the console's repository, image, service and function pages",
  () => {
    let server: ServerProcess;
    let browser: TestBrowser;
    let git: GitCli;
    const pages: ConsolePage[] = [];
    const open = async (path: string, viewport?: { width: number; height: number }) => {
      const p = await browser.newPage(viewport ? { viewport } : {});
      pages.push(p);
      await p.page.goto(`${server.endpoint}${path}`);
      return p;
    };
    const client = <T>(make: new (c: object) => T) =>
      new make({ endpoint: server.endpoint, region, credentials, maxAttempts: 1 });
    let commitId = "";
    let executionId = "";

    beforeAll(async () => {
      server = await startServerProcess({
        env: {
          PIPEWRIGHT_TEST_PROVIDERS: "1",
          PIPEWRIGHT_START_ON_CREATE: "false",
          PIPEWRIGHT_POLL_INTERVAL_MS: "50",
          PIPEWRIGHT_ECS_RUNTIME: "process",
        },
      });
      git = createGitCli("pipewright-console-git-");
      browser = await launchBrowser();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      git?.cleanup();
      // It ends at SIGTERM, even after invoking a function (its warm process is ended too).
      const stopped = await Promise.race([
        server?.kill().then(() => true),
        new Promise((done) => setTimeout(() => done(false), 15_000)),
      ]);
      if (!stopped) await server.kill("SIGKILL");
      expect(stopped, "the server did not end within 15 s of SIGTERM").toBe(true);
      if (server) removeDir(server.dataDir);
    }, 60_000);

    it("a hosted repository: its branches and recent commits (message, author, short id, age)", async () => {
      await client(CodeCommitClient).send(
        new CreateRepositoryCommand({ repositoryName: "site", repositoryDescription: "The web site" }),
      );
      const work = git.dir("site");
      await git.ok(work, "init", "-q");
      await git.commit(work, "First page", { "index.html": "<h1>v1</h1>\n" });
      commitId = await git.commit(work, "Add the about page\n\nWith a body line.", {
        "about.html": "about\n",
      });
      await git.ok(work, "push", "-q", cloneUrl(server.endpoint, "site"), "main");
      await git.ok(work, "push", "-q", cloneUrl(server.endpoint, "site"), "main:feature/x");

      const { page, errors } = await open("/console/repositories");
      await page.waitForSelector(`[data-repository="${region}/site"]`);
      expect(await page.textContent(`[data-repository="${region}/site"]`)).toContain("The web site");
      expect(await seriousViolations(page)).toEqual([]);
      // Keyboard: the repository's link opens its page (a deep link of its own).
      await page.focus(`[data-repository="${region}/site"] a`);
      await page.keyboard.press("Enter");
      await page.waitForSelector('[data-branch="main"]');
      expect(page.url()).toBe(`${server.endpoint}/console/repositories/${region}/site`);
      const main = (await page.textContent('[data-branch="main"]')) ?? "";
      expect(main).toContain(commitId.slice(0, 8));
      expect(main).toContain("Add the about page");
      expect(main).not.toContain("With a body line");
      expect(main).toContain("Pipewright Tester");
      expect(main).toMatch(/\d+ s ago/u);
      expect(await page.locator('[data-branch="feature/x"]').count()).toBe(1);
      await page.waitForSelector(`[data-commit="${commitId}"]`);
      expect(await page.locator("#commits [data-commit]").count()).toBe(2);
      expect(await page.textContent("#commits")).toContain("First page");
      expect(await page.textContent("main")).toContain(`${server.endpoint}/v1/repos/site`);
      const phone = await open(`/console/repositories/${region}/site`, { width: 375, height: 740 });
      await phone.page.waitForSelector(`[data-commit="${commitId}"]`);
      expect(await phone.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
      await phone.page.screenshot({ path: screenshotPath("console-repository-phone.png"), fullPage: true });
      expect(phone.errors).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    });

    it("an ECR repository and its images: tags, digest, size, push time", async () => {
      await client(ECRClient).send(new CreateImageRepositoryCommand({ repositoryName: "team/web" }));
      const oci = createOciClient(server.endpoint);
      const config = new TextEncoder().encode(JSON.stringify({ architecture: "amd64", os: "linux" }));
      const layer = new Uint8Array(2048).fill(7);
      expect((await oci.pushBlob("team/web", config)).status).toBe(201);
      expect((await oci.pushBlob("team/web", layer)).status).toBe(201);
      const manifest = JSON.stringify(imageManifest(config, [layer]));
      const pushed = await oci.pushManifest(
        "team/web",
        "v1",
        manifest,
        "application/vnd.oci.image.manifest.v1+json",
      );
      expect(pushed.status).toBe(201);
      const digest = sha256(new TextEncoder().encode(manifest));

      const { page, errors } = await open("/console/images");
      await page.waitForSelector(`[data-image-repository="${region}/team/web"]`);
      expect(await seriousViolations(page)).toEqual([]);
      const deep = await open(`/console/images/${region}/${encodeURIComponent("team/web")}`);
      await deep.page.waitForSelector(`[data-image="${digest}"]`);
      const row = (await deep.page.textContent(`[data-image="${digest}"]`)) ?? "";
      expect(row).toContain("v1");
      expect(row).toContain(digest.slice(0, "sha256:".length + 12));
      expect(row).toMatch(/\d+(\.\d)? (B|KB)/u);
      expect(row).toMatch(/\d+ s ago/u);
      expect(await seriousViolations(deep.page)).toEqual([]);
      expect([...errors, ...deep.errors]).toEqual([]);
    });

    it("an ECS service: deployments with rolloutState, tasks with health, events, the load balancer endpoint", async () => {
      const ecs = client(ECSClient);
      await ecs.send(new CreateClusterCommand({ clusterName: "shop" }));
      const td = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "web",
          containerDefinitions: [
            {
              name: "web",
              image: "web:v1",
              essential: true,
              entryPoint: ["/bin/sh", "-c"],
              command: [
                "d=$(mktemp -d) && echo v1 > $d/index.html && exec busybox httpd -f -p 127.0.0.1:$PORT -h $d",
              ],
              portMappings: [{ containerPort: 8080, hostPort: 0 }],
              healthCheck: {
                command: ["CMD-SHELL", "busybox wget -q -O /dev/null http://127.0.0.1:$PORT/"],
                interval: 5,
                timeout: 2,
                retries: 1,
              },
              stopTimeout: 2,
            },
          ],
        }),
      );
      await ecs.send(
        new CreateServiceCommand({
          cluster: "shop",
          serviceName: "web",
          taskDefinition: td.taskDefinition?.taskDefinitionArn,
          desiredCount: 1,
          loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: "web", containerPort: 8080 }],
        }),
      );
      await waitUntilServicesStable(
        { client: ecs, maxWaitTime: 90, minDelay: 1, maxDelay: 1 },
        { cluster: "shop", services: ["web"] },
      );

      const { page, errors } = await open("/console/services");
      await page.waitForSelector(`[data-service="${region}/shop/web"]`);
      await waitText(page, `[data-service="${region}/shop/web"]`, "1 / 1");
      expect(await page.textContent(`[data-service="${region}/shop/web"]`)).toMatch(
        /http:\/\/127\.0\.0\.1:\d+/u,
      );
      expect(await seriousViolations(page)).toEqual([]);
      await page.click(`[data-service="${region}/shop/web"] a`);
      await page.waitForSelector("#deployments [data-deployment]");
      expect(page.url()).toBe(`${server.endpoint}/console/services/${region}/shop/web`);
      await waitText(page, "#deployments", "Succeeded"); // rolloutState COMPLETED
      expect(await page.textContent("#deployments")).toContain("PRIMARY");
      await waitText(page, "#tasks", "HEALTHY");
      expect(await page.textContent("#tasks")).toContain("Running");
      await waitText(page, "#events", "has reached a steady state");
      const endpoint = await page.getAttribute("#service a[href^='http://127.0.0.1']", "href");
      // The endpoint shown is the load balancer's: it serves the task's page.
      expect(await (await fetch(endpoint!)).text()).toBe("v1\n");
      expect(await seriousViolations(page)).toEqual([]);
      // At phone width the page does not scroll sideways (tables scroll in place).
      const phone = await open(`/console/services/${region}/shop/web`, { width: 375, height: 740 });
      await phone.page.waitForSelector("#tasks [data-task]");
      expect(await phone.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
      expect([...errors, ...phone.errors]).toEqual([]);
    }, 150_000);

    it("an ECS deploy action's details: the service's deployments, tasks, health and events", async () => {
      const s3 = new S3Client({ endpoint: server.endpoint, region, credentials, forcePathStyle: true });
      await createSourceBucket(s3, "shop-src");
      await s3.send(
        new PutObjectCommand({
          Bucket: "shop-src",
          Key: "deploy.zip",
          Body: await zipOf({
            "imagedefinitions.json": JSON.stringify([{ name: "web", imageUri: "web:v2" }]),
          }),
        }),
      );
      const cp = client(CodePipelineClient);
      await cp.send(
        new CreatePipelineCommand({
          pipeline: s3DeployPipeline({
            name: "shop-deploy",
            roleArn: "arn:aws:iam::123456789012:role/pipeline",
            bucket: "shop-src",
            artifact: "Images",
            deploy: {
              name: "Web",
              actionTypeId: { category: "Deploy", owner: "AWS", provider: "ECS", version: "1" },
              configuration: { ClusterName: "shop", ServiceName: "web", DeploymentTimeout: "5" },
            },
          }),
        }),
      );
      const id = (await cp.send(new StartPipelineExecutionCommand({ name: "shop-deploy" })))
        .pipelineExecutionId!;
      // From the pipeline page: the action card's Details link, keyboard only.
      const { page, errors } = await open(`/console/pipelines/${region}/shop-deploy`);
      await page.focus('[data-action="Deploy/Web"] a:has-text("Details")', { timeout: 60_000 });
      await page.keyboard.press("Enter");
      await page.waitForURL(`**/executions/${id}/actions/*`);
      await page.waitForSelector("#action-target #deployments [data-deployment]");
      expect(await page.textContent("#action-target h2")).toContain("web");
      // The page follows the rollout live: the new deployment completes, the old one is drained.
      await waitText(page, "#action", "Succeeded", 90_000);
      await waitText(page, "#action-target #deployments", "Succeeded");
      await waitText(page, "#action-target #tasks", "HEALTHY");
      await waitText(page, "#action-target #events", "has reached a steady state");
      expect(await page.textContent("#action-target #deployments")).toContain("web:2");
      expect(await page.textContent("#action-log")).not.toBe("");
      await page.screenshot({ path: screenshotPath("console-deploy-action.png"), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      s3.destroy();
    }, 150_000);

    it("a Lambda function, and an Invoke action's details with the function's log of that invocation", async () => {
      await client(LambdaClient).send(
        new CreateFunctionCommand({
          FunctionName: "check",
          Runtime: "nodejs20.x",
          Handler: "index.handler",
          Role: "arn:aws:iam::123456789012:role/lambda-role",
          Timeout: 30,
          Environment: { Variables: { SECRET_LOOKING: "do-not-show-me" } },
          Code: { ZipFile: await zipOf({ "index.js": FUNCTION }) },
        }),
      );
      const cp = client(CodePipelineClient);
      await cp.send(
        new CreatePipelineCommand({
          pipeline: {
            name: "invoker",
            roleArn: "arn:aws:iam::123456789012:role/pipeline",
            artifactStore: { type: "S3", location: "invoker-artifacts" },
            stages: [
              {
                name: "Source",
                actions: [
                  {
                    name: "Fetch",
                    actionTypeId: {
                      category: "Source",
                      owner: "AWS",
                      provider: "PipewrightTest",
                      version: "1",
                    },
                    configuration: { Revision: "r1" },
                    outputArtifacts: [{ name: "Code" }],
                  },
                ],
              },
              {
                name: "Check",
                actions: [
                  {
                    name: "Invoke",
                    actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" },
                    configuration: { FunctionName: "check" },
                    inputArtifacts: [{ name: "Code" }],
                  },
                ],
              },
            ],
          },
        }),
      );
      executionId = (await cp.send(new StartPipelineExecutionCommand({ name: "invoker" })))
        .pipelineExecutionId!;
      for (let i = 0; i < 600; i++) {
        const x = await cp.send(
          new GetPipelineExecutionCommand({ pipelineName: "invoker", pipelineExecutionId: executionId }),
        );
        if (x.pipelineExecution?.status !== "InProgress") break;
        await new Promise((done) => setTimeout(done, 100));
      }
      const runs = await cp.send(
        new ListActionExecutionsCommand({
          pipelineName: "invoker",
          filter: { pipelineExecutionId: executionId },
        }),
      );
      const invoke = runs.actionExecutionDetails?.find((a) => a.actionName === "Invoke");
      expect(invoke?.status).toBe("Succeeded");

      const list = await open("/console/functions");
      await list.page.waitForSelector(`[data-function="${region}/check"]`);
      expect(await list.page.textContent(`[data-function="${region}/check"]`)).toContain("nodejs20.x");
      expect(await seriousViolations(list.page)).toEqual([]);
      const fn = await open(`/console/functions/${region}/check`);
      await waitText(fn.page, "#function", "index.handler");
      const facts = (await fn.page.textContent("#function")) ?? "";
      expect(facts).toContain("SECRET_LOOKING");
      expect(facts).not.toContain("do-not-show-me");
      expect(await seriousViolations(fn.page)).toEqual([]);

      // From the execution page to the action's details: the log of that very invocation.
      const { page, errors } = await open(`/console/pipelines/${region}/invoker/executions/${executionId}`);
      await page.click("text=Details of Invoke");
      await waitText(page, "#action-log", "hello from the function, job ");
      expect(await page.textContent("#action-log")).toMatch(/START RequestId: \S+/u);
      expect(page.url()).toContain(`/actions/${invoke?.actionExecutionId}`);
      await waitText(page, "#action-target", "nodejs20.x");
      expect(await page.textContent("h1")).toBe("Check / Invoke");
      expect(await seriousViolations(page)).toEqual([]);
      expect([...list.errors, ...fn.errors, ...errors]).toEqual([]);
    }, 120_000);

    it("every page is reachable from the main navigation, by keyboard", async () => {
      const { page, errors } = await open("/");
      for (const [label, path] of [
        ["Repositories", "/console/repositories"],
        ["Images", "/console/images"],
        ["Services", "/console/services"],
        ["Functions", "/console/functions"],
        ["Builds", "/console/projects"],
        ["Pipelines", "/console/"],
      ]) {
        await page.focus(`nav a:text-is("${label}")`);
        await page.keyboard.press("Enter");
        await page.waitForURL(`${server.endpoint}${path}`);
        await page.waitForFunction(
          () =>
            !(
              globalThis as unknown as {
                document: { querySelector(s: string): { textContent: string | null } | null };
              }
            ).document
              .querySelector("main")
              ?.textContent?.includes("Loading"),
        );
      }
      expect(errors).toEqual([]);
    });
  },
);
