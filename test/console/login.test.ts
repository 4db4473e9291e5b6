import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ListPipelineExecutionsCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";
import { chromiumMissing, launchBrowser, seriousViolations, type TestBrowser } from "./browser.js";
import { client, createPipeline, fake } from "./pipelines.js";

// With PIPEWRIGHT_CREDENTIALS the console needs a login; its session cookie alone authorises
// nothing a cross-site page can send (CSRF token header, SameSite=Strict, Origin check).

const AKID = "AKIDCONSOLELOGIN";
const SECRET = "wJalrXUtnFEMI-console-secret";

interface PageDocument {
  querySelector(selector: string): { textContent: string | null } | null;
}

describe.skipIf(chromiumMissing !== undefined)("the web console with credentials configured", () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let evil: Server;
  let evilOrigin: string;

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_TEST_PROVIDERS: "1",
        PIPEWRIGHT_START_ON_CREATE: "false",
        PIPEWRIGHT_CREDENTIALS: `${AKID}:${SECRET}`,
      },
    });
    await createPipeline(client(server.endpoint, "us-east-1", AKID, SECRET), "guarded", [
      { name: "Source", actions: [fake("Source", "Fetch", {})] },
      { name: "Build", actions: [fake("Build", "Compile", {})] },
    ]);
    // Another site (localhost is not 127.0.0.1's site): a page that tries to start the pipeline.
    evil = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><html lang="en"><title>evil</title><body>
<form id="f" method="POST" action="${server.endpoint}/" enctype="text/plain"><input name='{"name":"guarded","x":"' value='"}'></form>
<p id="out">pending</p>
<script>
fetch(${JSON.stringify(`${server.endpoint}/`)}, { method: "POST", credentials: "include", headers: { "x-amz-target": "CodePipeline_20150709.StartPipelineExecution", "content-type": "application/x-amz-json-1.1", "x-pipewright-csrf": "guess" }, body: JSON.stringify({ name: "guarded" }) })
  .then((r) => { document.getElementById("out").textContent = "fetch answered " + r.status; })
  .catch((e) => { document.getElementById("out").textContent = "fetch refused: " + e.message; });
</script></body></html>`);
    });
    await new Promise<void>((done) => evil.listen(0, "127.0.0.1", done));
    evilOrigin = `http://localhost:${(evil.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => evil?.close(done));
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("asks for a login, signs in with a configured key, and never puts the secret in the page", async () => {
    const { page, context, errors } = await browser.newPage();
    await page.goto(`${server.endpoint}/console/pipelines/us-east-1/guarded`);
    await page.waitForSelector("form#login");
    expect(await seriousViolations(page)).toEqual([]);
    const before = await fetch(`${server.endpoint}/_pipewright/console/regions`);
    expect(before.status).toBe(401);
    await page.fill("#akid", AKID);
    await page.fill("#secret", SECRET);
    await page.click('form#login button[type="submit"]');
    await page.waitForSelector('[data-action="Build/Compile"]');
    await page.click("#release");
    await page.waitForFunction(
      () =>
        (
          (globalThis as unknown as { document: PageDocument }).document.querySelector("#history tbody tr")
            ?.textContent ?? ""
        ).includes("Succeeded"),
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.evaluate("document.cookie")).toBe("");
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "pipewright_session", httpOnly: true, sameSite: "Strict" });
    expect(cookie?.value).not.toContain(SECRET);

    // The cookie without the CSRF header authorises nothing; with it, the call goes through.
    const post = (headers: Record<string, string>) =>
      fetch(`${server.endpoint}/`, {
        method: "POST",
        headers: {
          "x-amz-target": "CodePipeline_20150709.ListPipelines",
          "content-type": "application/x-amz-json-1.1",
          ...headers,
        },
        body: "{}",
      });
    const noCsrf = await post({ cookie: `pipewright_session=${cookie?.value}` });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { __type: string }).__type).toBe("InvalidSignatureException");
    const forged = await post({ cookie: "pipewright_session=forged", "x-pipewright-csrf": "x" });
    expect(((await forged.json()) as { __type: string }).__type).toBe("UnrecognizedClientException");
    const unsigned = await post({});
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { __type: string }).__type).toBe(
      "MissingAuthenticationTokenException",
    );
    expect(errors).toEqual([]);

    // A cross-site page with the victim's signed-in browser: neither its form nor its fetch starts anything.
    const cp = client(server.endpoint, "us-east-1", AKID, SECRET);
    const executions = async () =>
      (await cp.send(new ListPipelineExecutionsCommand({ pipelineName: "guarded" })))
        .pipelineExecutionSummaries?.length;
    const count = await executions();
    const attacker = await context.newPage();
    await attacker.goto(`${evilOrigin}/`);
    await attacker.waitForFunction(
      () =>
        (globalThis as unknown as { document: PageDocument }).document.querySelector("#out")?.textContent !==
        "pending",
    );
    expect(await attacker.textContent("#out")).toContain("fetch refused");
    const [answer] = await Promise.all([
      attacker.waitForResponse((r) => r.url() === `${server.endpoint}/` && r.request().method() === "POST"),
      attacker.evaluate("document.getElementById('f').submit()"),
    ]);
    // SameSite=Strict: the cross-site form's request does not even carry the session cookie.
    expect((await answer.request().allHeaders()).cookie).toBeUndefined();
    expect(answer.status()).toBe(400);
    expect(answer.headers()["x-amzn-errortype"]).toBe("UnknownOperationException");
    const login = await fetch(`${server.endpoint}/_pipewright/console/login`, {
      method: "POST",
      headers: { origin: evilOrigin, "content-type": "application/json" },
      body: JSON.stringify({ accessKeyId: AKID, secretAccessKey: SECRET }),
    });
    expect(login.status).toBe(403);
    expect(await executions()).toBe(count);

    // The session also reaches the Lambda API (its own front end) and the overview read endpoint.
    await page.click('nav a:text-is("Functions")');
    await page.waitForSelector("text=No functions yet");
    await page.click('nav a:text-is("Pipelines")');
    await page.waitForSelector('[data-pipeline="us-east-1/guarded"]');
    // Signing out forgets the session: the old cookie authorises nothing any more.
    await page.click("#who button");
    await page.waitForSelector("form#login");
    const stale = await post({ cookie: `pipewright_session=${cookie?.value}`, "x-pipewright-csrf": "x" });
    expect(((await stale.json()) as { __type: string }).__type).toBe("UnrecognizedClientException");
    expect(errors).toEqual([]);
  });

  it("refuses a wrong secret with a clear message", async () => {
    const response = await fetch(`${server.endpoint}/_pipewright/console/login`, {
      method: "POST",
      headers: { origin: server.endpoint, "content-type": "application/json" },
      body: JSON.stringify({ accessKeyId: AKID, secretAccessKey: "wrong" }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: "Unknown access key id or wrong secret access key" });
    const missing = await fetch(`${server.endpoint}/_pipewright/console/login`, {
      method: "POST",
      headers: { origin: server.endpoint, "content-type": "application/json" },
      body: JSON.stringify({ accessKeyId: AKID }),
    });
    expect(((await missing.json()) as { message: string }).message).toContain("secretAccessKey is missing");
  });

  // Last: it leaves this client's address locked out for a minute.
  it("after 5 failed sign-ins in a minute the next is refused with 429 and Retry-After, and the page says when to retry", async () => {
    // The previous test failed once; 4 more make 5.
    for (let i = 0; i < 4; i++) {
      const failed = await fetch(`${server.endpoint}/_pipewright/console/login`, {
        method: "POST",
        headers: { origin: server.endpoint, "content-type": "application/json" },
        body: JSON.stringify({ accessKeyId: AKID, secretAccessKey: `wrong-${i}` }),
      });
      expect(failed.status).toBe(401);
    }
    const { page } = await browser.newPage();
    await page.goto(`${server.endpoint}/`);
    await page.waitForSelector("form#login");
    await page.fill("#akid", AKID);
    await page.fill("#secret", SECRET); // even the right secret: the key is not checked now
    const answered = page.waitForResponse((r) => r.url().endsWith("/_pipewright/console/login"));
    await page.click('form#login button[type="submit"]');
    const response = await answered;
    expect(response.status()).toBe(429);
    const retryAfter = Number(response.headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await page.waitForSelector("form#login [role=alert] .error");
    expect(await page.textContent("form#login [role=alert]")).toMatch(
      /Too many failed sign-ins from this address: try again in \d+ s/u,
    );
    expect(await page.locator('[data-action="Build/Compile"]').count()).toBe(0);
  });
});
