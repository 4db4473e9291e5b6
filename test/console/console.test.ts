import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import {
  type CodePipelineClient,
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";
import {
  type ConsolePage,
  chromiumMissing,
  launchBrowser,
  seriousViolations,
  type TestBrowser,
} from "./browser.js";
import { approval, client, createPipeline, fake } from "./pipelines.js";

/** docs/ holds the committed screenshots: PIPEWRIGHT_SCREENSHOTS=1 refreshes them; otherwise a temp file. */
function screenshotPath(name: string): string {
  return process.env.PIPEWRIGHT_SCREENSHOTS === "1"
    ? join(repoRoot, "docs", name)
    : join(tmpdir(), `pipewright-${name}`);
}

const run = promisify(execFile);

// The web console end to end (issue 15): a real server process, Debian's Chromium driven by
// playwright-core, pipelines of controllable PipewrightTest actions and a Manual approval.

/** Waits until the element's text contains `text` (the page polls; it is never reloaded). */
async function waitText(page: Page, selector: string, text: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) =>
      (
        (globalThis as unknown as { document: PageDocument }).document.querySelector(sel)?.textContent ?? ""
      ).includes(want),
    [selector, text] as const,
    { timeout, polling: 20 },
  );
}

/** The page's document, in functions playwright runs in the page (the CSP forbids string eval). */
interface PageDocument {
  querySelector(
    selector: string,
  ): { textContent: string | null; classList: { contains(c: string): boolean } } | null;
  querySelectorAll(selector: string): { length: number };
}

const status = (action: string) => `[data-action="${action}"] .status`;
const latestRow = "#history tbody tr:first-child";

describe.skipIf(chromiumMissing !== undefined)("the web console (no credentials: loopback, no login)", () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let cp: CodePipelineClient;
  const pages: ConsolePage[] = [];
  const open = async (path: string, viewport?: { width: number; height: number }) => {
    const p = await browser.newPage(viewport ? { viewport } : {});
    pages.push(p);
    await p.page.goto(`${server.endpoint}${path}`);
    await p.page.evaluate("window.__notReloaded = true");
    return p;
  };
  /** A pipeline page with Release change pressed. */
  const openAndRelease = async (path: string) => {
    const p = await open(path);
    await p.page.waitForSelector("#release");
    await p.page.click("#release");
    return p;
  };
  const latestStatus = async (pipelineName: string) =>
    (await cp.send(new ListPipelineExecutionsCommand({ pipelineName }))).pipelineExecutionSummaries?.[0]
      ?.status;

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_TEST_PROVIDERS: "1",
        PIPEWRIGHT_START_ON_CREATE: "false",
        PIPEWRIGHT_POLL_INTERVAL_MS: "50",
        PIPEWRIGHT_BUILD_EXECUTOR: "host",
      },
    });
    cp = client(server.endpoint);
    await createPipeline(cp, "flow", [
      { name: "Source", actions: [fake("Source", "Fetch", { SleepMs: "300", Revision: "abc1234def" })] },
      { name: "Approve", actions: [approval("Review")] },
      { name: "Deploy", actions: [fake("Deploy", "Ship", { SleepMs: "1500" })] },
    ]);
    await createPipeline(cp, "flaky", [
      { name: "Source", actions: [fake("Source", "Fetch", {})] },
      { name: "Build", actions: [fake("Build", "Compile", { FailTimes: "1" })] },
    ]);
    await createPipeline(cp, "held", [
      { name: "Source", actions: [fake("Source", "Fetch", {})] },
      { name: "Wait", actions: [fake("Deploy", "Forever", { Outcome: "Hold" })] },
    ]);
    await createPipeline(cp, "slow", [
      { name: "Source", actions: [fake("Source", "Fetch", {})] },
      { name: "Work", actions: [fake("Build", "Long", { SleepMs: "2500" })] },
    ]);
    await createPipeline(client(server.endpoint, "eu-west-1"), "elsewhere", [
      { name: "Source", actions: [fake("Source", "Fetch", {})] },
      { name: "Build", actions: [fake("Build", "Compile", {})] },
    ]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("GET / in a browser is the console; unsigned non-HTML GET / and the aws CLI are unchanged", async () => {
    const html = await fetch(`${server.endpoint}/`, { headers: { accept: "text/html" } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(html.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    const shell = await html.text();
    expect(shell).toContain('src="/console/assets/main.js"');
    // Every preloaded module exists (the list in shell.ts follows web/src).
    const preloads = [...shell.matchAll(/rel="modulepreload" href="([^"]+)"/gu)].map((m) => m[1] ?? "");
    expect(preloads.length).toBeGreaterThan(5);
    for (const href of preloads) expect((await fetch(`${server.endpoint}${href}`)).status, href).toBe(200);
    const plain = await fetch(`${server.endpoint}/`);
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { __type: string }).__type).toBe("UnknownOperationException");
    const deep = await fetch(`${server.endpoint}/console/pipelines/us-east-1/flow`, {
      headers: { accept: "text/html" },
    });
    expect(await deep.text()).toContain("main.js");
    // The aws CLI's `s3 ls` is a signed GET / (for s3): still S3's ListBuckets.
    await fetch(`${server.endpoint}/console-bucket`, {
      method: "PUT",
      headers: {
        authorization:
          "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0",
      },
    });
    const ls = await run("aws", ["--endpoint-url", server.endpoint, "s3", "ls"], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: "x",
        AWS_SECRET_ACCESS_KEY: "y",
        AWS_DEFAULT_REGION: "us-east-1",
      },
    });
    expect(ls.stdout).toContain("console-bucket");
    const traversal = await fetch(`${server.endpoint}/console/assets/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it("the overview lists every pipeline of every region, filters, passes axe and fits a phone", async () => {
    const { page, errors } = await open("/");
    await page.waitForSelector('[data-pipeline="eu-west-1/elsewhere"]');
    for (const p of ["us-east-1/flow", "us-east-1/flaky", "us-east-1/held", "us-east-1/slow"])
      expect(await page.locator(`[data-pipeline="${p}"]`).count()).toBe(1);
    await page.fill("#filter", "flaky");
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: PageDocument }).document.querySelectorAll("[data-pipeline]")
          .length === 1,
    );
    expect(await page.locator('[data-pipeline="us-east-1/flaky"]').count()).toBe(1);
    await page.fill("#filter", "");
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: PageDocument }).document.querySelectorAll("[data-pipeline]")
          .length === 5,
    );
    expect(await seriousViolations(page)).toEqual([]);
    const phone = await open("/", { width: 375, height: 740 });
    await phone.page.waitForSelector('[data-pipeline="eu-west-1/elsewhere"]');
    expect(await phone.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    expect([...errors, ...phone.errors]).toEqual([]);
  });

  it("starts a pipeline from the keyboard, shows statuses change live, approves and continues", async () => {
    const { page, errors } = await open("/console/pipelines/us-east-1/flow");
    await page.waitForSelector('[data-action="Approve/Review"]');
    await page.focus("#release");
    await page.keyboard.press("Enter");
    await waitText(page, status("Source/Fetch"), "InProgress");
    await waitText(page, status("Source/Fetch"), "Succeeded");
    await waitText(page, status("Approve/Review"), "InProgress");
    await waitText(page, latestRow, "InProgress");
    // The pending approval says which revision it is for (the Source action's revision).
    await waitText(page, '[data-action="Approve/Review"] [data-approval-for]', "abc1234d");
    mkdirSync(join(repoRoot, "docs"), { recursive: true });
    await page.screenshot({ path: screenshotPath("console-pipeline.png"), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    // From the keyboard: the dialog opens with focus on its comment field; Tab reaches Approve.
    await page.focus('[data-key="review:Approve/Review"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog[open] textarea:focus");
    await page.keyboard.type("looks good");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.value")).toBe("Approved");
    await page.keyboard.press("Enter");
    await waitText(page, status("Approve/Review"), "Succeeded");
    await waitText(page, status("Deploy/Ship"), "InProgress");
    await waitText(page, status("Deploy/Ship"), "Succeeded");
    await waitText(page, latestRow, "Succeeded");
    expect(await latestStatus("flow")).toBe("Succeeded");
    const state = await cp.send(new GetPipelineStateCommand({ name: "flow" }));
    const review = state.stageStates?.[1]?.actionStates?.[0]?.latestExecution;
    expect(review?.summary).toBe("looks good");
    expect(await page.evaluate("window.__notReloaded")).toBe(true);
    // At phone width the page does not scroll sideways (stages stack, tables scroll in place).
    const phone = await open("/console/pipelines/us-east-1/flow", { width: 375, height: 740 });
    await phone.page.waitForSelector(latestRow);
    expect(await phone.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    expect(phone.errors).toEqual([]);
    // The execution's page lists its action runs with what they reported.
    await page.click(`${latestRow} a`);
    await waitText(page, "#actions", "looks good");
    await waitText(page, "#actions", "Ship");
    expect(errors).toEqual([]);
  });

  it("disables and enables a transition from the UI; an API change shows at once (server-sent events)", async () => {
    const { page, errors } = await open("/console/pipelines/us-east-1/flow");
    await page.waitForSelector('[data-key="transition:Deploy"]');
    await page.click('[data-key="transition:Deploy"]');
    await page.fill("dialog input", "Freeze for release");
    await page.click('dialog button[value="disable"]');
    await waitText(page, '[data-transition="Deploy"]', "Disabled: Freeze for release");
    let state = await cp.send(new GetPipelineStateCommand({ name: "flow" }));
    expect(state.stageStates?.[2]?.inboundTransitionState?.enabled).toBe(false);
    await page.click('[data-key="transition:Deploy"]');
    await page.waitForFunction(
      (sel) =>
        !(globalThis as unknown as { document: PageDocument }).document
          .querySelector(sel)
          ?.classList.contains("disabled"),
      '[data-transition="Deploy"]',
    );
    state = await cp.send(new GetPipelineStateCommand({ name: "flow" }));
    expect(state.stageStates?.[2]?.inboundTransitionState?.enabled).toBe(true);
    // The delay from a change made elsewhere (the API) to the page showing it.
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await cp.send(
        new DisableStageTransitionCommand({
          pipelineName: "flow",
          stageName: "Approve",
          transitionType: "Inbound",
          reason: `probe ${i}`,
        }),
      );
      await waitText(page, '[data-transition="Approve"]', `Disabled: probe ${i}`, 5000);
      delays.push(Math.round(performance.now() - t0));
      await cp.send(
        new EnableStageTransitionCommand({
          pipelineName: "flow",
          stageName: "Approve",
          transitionType: "Inbound",
        }),
      );
      await page.waitForFunction(
        (sel) =>
          !(globalThis as unknown as { document: PageDocument }).document
            .querySelector(sel)
            ?.classList.contains("disabled"),
        '[data-transition="Approve"]',
      );
    }
    console.log(`console: API change to page delay (server-sent events), ms: ${delays.join(", ")}`);
    // Server-sent events: well under the 1 s poll (its fallback is 5 s while events flow).
    expect(Math.max(...delays)).toBeLessThan(800);
    expect(errors).toEqual([]);
  });

  it("retries a failed stage from the UI", async () => {
    const { page, errors } = await openAndRelease("/console/pipelines/us-east-1/flaky");
    await waitText(page, status("Build/Compile"), "Failed");
    await waitText(page, `[data-action="Build/Compile"]`, "failing run 1 of 1 on purpose");
    await page.click('[data-key="retry:Build"]');
    await waitText(page, status("Build/Compile"), "Succeeded");
    await waitText(page, latestRow, "Succeeded");
    expect(await latestStatus("flaky")).toBe("Succeeded");
    expect(errors).toEqual([]);
  });

  it("stops (abandons) a running execution from the UI", async () => {
    const { page, errors } = await openAndRelease("/console/pipelines/us-east-1/held");
    await waitText(page, status("Wait/Forever"), "InProgress");
    await page.click('[data-key^="stop:"]');
    await page.fill("dialog input", "not today");
    await page.click('dialog button[value="abandon"]');
    await waitText(page, latestRow, "Stopped");
    expect(await latestStatus("held")).toBe("Stopped");
    expect(errors).toEqual([]);
  });

  it("stops an execution and waits for its running action to finish", async () => {
    const { page, errors } = await openAndRelease("/console/pipelines/us-east-1/slow");
    await waitText(page, status("Work/Long"), "InProgress");
    await page.click('[data-key^="stop:"]');
    await page.click('dialog button[value="finish"]');
    await waitText(page, latestRow, "Stopping");
    await waitText(page, status("Work/Long"), "Succeeded");
    await waitText(page, latestRow, "Stopped");
    expect(await latestStatus("slow")).toBe("Stopped");
    expect(errors).toEqual([]);
  });

  it("streams a running build's log (a secret stays masked) and shows its phases", async () => {
    const secret = "console-secret-value-7d1f";
    const put = await fetch(`${server.endpoint}/`, {
      method: "POST",
      headers: { "x-amz-target": "AmazonSSM.PutParameter", "content-type": "application/x-amz-json-1.1" },
      body: JSON.stringify({ Name: "/console/token", Value: secret, Type: "SecureString" }),
    });
    expect(put.status).toBe(200);
    const cb = new CodeBuildClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    await cb.send(
      new CreateProjectCommand({
        name: "logs",
        source: {
          type: "NO_SOURCE",
          buildspec: [
            "version: 0.2",
            "env:",
            "  parameter-store:",
            "    TOKEN: /console/token",
            "phases:",
            "  build:",
            "    commands:",
            "      - echo first-line token=$TOKEN",
            "      - sleep 2",
            "      - echo second-line",
          ].join("\n"),
        },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          type: "LINUX_CONTAINER",
          image: "aws/codebuild/standard:7.0",
          computeType: "BUILD_GENERAL1_SMALL",
        },
        serviceRole: "arn:aws:iam::123456789012:role/cb",
      }),
    );
    const id = (await cb.send(new StartBuildCommand({ projectName: "logs" }))).build?.id ?? "";
    const { page, errors } = await open(`/console/builds/us-east-1/${encodeURIComponent(id)}`);
    await waitText(page, "#log", "first-line token=***");
    const whileRunning = await cb.send(new BatchGetBuildsCommand({ ids: [id] }));
    expect(whileRunning.builds?.[0]?.buildComplete).toBe(false);
    expect(await page.textContent("#log")).not.toContain("second-line");
    await waitText(page, "#log", "second-line");
    await waitText(page, "#log-state", "complete");
    await waitText(page, '[data-phase="BUILD"]', "Succeeded");
    expect(await seriousViolations(page)).toEqual([]);
    // The Builds pages: the project list, then its build history linking back to this build.
    await page.click('nav a[href="/console/projects"]');
    await page.click('[data-project="us-east-1/logs"] a');
    await waitText(page, `[data-build="${id}"]`, "Succeeded");
    expect(await page.getAttribute(`[data-build="${id}"] a`, "href")).toBe(
      `/console/builds/us-east-1/${encodeURIComponent(id)}`,
    );
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.content()).not.toContain(secret);
    expect(errors).toEqual([]);
  });

  it("shows a build's test report with the failures first", async () => {
    const cb = new CodeBuildClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    const buildspec = [
      "version: 0.2",
      "phases:",
      "  build:",
      "    commands:",
      "      - mkdir -p reports",
      "      - |",
      "        cat > reports/junit.xml <<EOF",
      '        <testsuite name="smoke" tests="3"><testcase classname="smoke" name="first passes" time="0.01"/>',
      '        <testcase classname="smoke" name="second passes" time="0.02"/>',
      '        <testcase classname="smoke" name="flaky thing" time="0.2"><failure message="boom">trace</failure></testcase></testsuite>',
      "        EOF",
      "reports:",
      "  smoke:",
      "    files:",
      "      - reports/junit.xml",
    ].join("\n");
    await cb.send(
      new CreateProjectCommand({
        name: "reports",
        source: { type: "NO_SOURCE", buildspec },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          type: "LINUX_CONTAINER",
          image: "aws/codebuild/standard:7.0",
          computeType: "BUILD_GENERAL1_SMALL",
        },
        serviceRole: "arn:aws:iam::123456789012:role/cb",
      }),
    );
    const id = (await cb.send(new StartBuildCommand({ projectName: "reports" }))).build?.id ?? "";
    const { page, errors } = await open(`/console/builds/us-east-1/${encodeURIComponent(id)}`);
    await waitText(page, '[data-report="reports-smoke"]', "3 tests");
    await waitText(page, '[data-report="reports-smoke"] tbody tr:first-child', "flaky thing");
    await waitText(page, '[data-report="reports-smoke"] tbody tr:first-child', "boom");
    expect(await page.locator('[data-report="reports-smoke"] tbody tr').count()).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("screenshots the overview", async () => {
    const { page, errors } = await open("/");
    await page.waitForSelector('[data-pipeline="eu-west-1/elsewhere"]');
    await waitText(page, '[data-pipeline="us-east-1/flow"]', "Succeeded");
    await waitText(page, '[data-pipeline="us-east-1/flow"]', "revision abc1234def abc1234d");
    await page.screenshot({ path: screenshotPath("console-overview.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
