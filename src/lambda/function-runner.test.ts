import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { writeZip } from "../zip/index.js";
import { pythonZipBytes } from "../zip/testing/python.js";
import { bwrapWorks, createFunctionRunner, type RunnableFunction } from "./function-runner.js";

const dir = mkdtempSync(join(tmpdir(), "pipewright-fn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runner = createFunctionRunner({
  dir,
  sandbox: "none",
  runtimeModules: resolve(import.meta.dirname, "../../node_modules"),
});

async function zipOf(files: Record<string, string>): Promise<Uint8Array> {
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
  return new Uint8Array(Buffer.concat(chunks));
}

let n = 0;
async function invoke(
  files: Record<string, string>,
  fn: Partial<RunnableFunction> = {},
  event: unknown = { x: 1 },
) {
  const zip = await zipOf(files);
  const sha = createHash("sha256").update(`${++n}`).update(zip).digest("base64");
  const result = await runner.run({
    fn: {
      functionName: "fn",
      functionArn: "arn:aws:lambda:us-east-1:111111111111:function:fn",
      runtime: "nodejs20.x",
      handler: "index.handler",
      timeout: 3,
      memorySize: 128,
      environment: { GREETING: "hi" },
      codeSha256: sha,
      ...fn,
    },
    code: async () => zip,
    payload: Buffer.from(JSON.stringify(event)),
    requestId: `req-${n}`,
    platform: () => ({ variables: { AWS_REGION: "us-east-1" }, close() {} }),
  });
  const text = Buffer.from(result.payload).toString("utf8");
  return { ...result, body: JSON.parse(text) as unknown };
}

describe("the function runner", () => {
  it("runs an async CommonJS handler with the event, context and environment, and logs like Lambda", async () => {
    const r = await invoke({
      "index.js": `exports.handler = async (event, context) => { console.log("got", event.x); return { x: event.x, g: process.env.GREETING, region: process.env.AWS_REGION, name: context.functionName, id: context.awsRequestId, left: context.getRemainingTimeInMillis() > 1000 }; };`,
    });
    expect(r.functionError).toBeUndefined();
    expect(r.body).toEqual({ x: 1, g: "hi", region: "us-east-1", name: "fn", id: `req-${n}`, left: true });
    expect(r.log).toMatch(
      new RegExp(
        `^START RequestId: req-${n} Version: \\$LATEST\\n\\S+Z\\treq-${n}\\tINFO\\tgot 1\\nEND RequestId: req-${n}\\nREPORT RequestId: req-${n}\\tDuration: [\\d.]+ ms`,
      ),
    );
  });

  it("runs an ESM .mjs handler and a callback-style handler that waits for the event loop", async () => {
    const esm = await invoke(
      { "app.mjs": `export const main = async (e) => ({ esm: true, e });` },
      { handler: "app.main" },
    );
    expect(esm.body).toEqual({ esm: true, e: { x: 1 } });
    const callback = await invoke({
      "index.js": `exports.handler = (event, context, callback) => { setTimeout(() => console.log("later"), 50); callback(null, "done"); };`,
    });
    expect(callback.body).toBe("done");
    expect(callback.log).toContain("INFO\tlater");
  });

  it("resolves the SDK the runtime provides when the zip has none", async () => {
    const r = await invoke({
      "index.js": `exports.handler = async () => typeof require("@aws-sdk/client-codepipeline").CodePipelineClient;`,
      "esm.mjs": `import { CodePipelineClient } from "@aws-sdk/client-codepipeline"; export const handler = async () => typeof CodePipelineClient;`,
    });
    expect(r.body).toBe("function");
    const esm = await invoke(
      {
        "esm.mjs": `import { CodePipelineClient } from "@aws-sdk/client-codepipeline"; export const handler = async () => typeof CodePipelineClient;`,
      },
      { handler: "esm.handler" },
    );
    expect(esm.body).toBe("function");
  });

  it("answers a thrown error as Unhandled with Lambda's errorType, errorMessage and trace", async () => {
    const r = await invoke({ "index.js": `exports.handler = async () => { throw new TypeError("boom"); };` });
    expect(r.functionError).toBe("Unhandled");
    expect(r.body).toMatchObject({ errorType: "TypeError", errorMessage: "boom" });
    expect((r.body as { trace: string[] }).trace[0]).toBe("TypeError: boom");
  });

  it("names a missing export and a missing module as Lambda does", async () => {
    const missing = await invoke({ "index.js": `exports.other = async () => 1;` });
    expect(missing.body).toMatchObject({
      errorType: "Runtime.HandlerNotFound",
      errorMessage: "index.handler is undefined or not exported",
    });
    const nomodule = await invoke({ "other.js": "" });
    expect(nomodule.body).toMatchObject({
      errorType: "Runtime.ImportModuleError",
      errorMessage: "Error: Cannot find module 'index'",
    });
  });

  it("kills a function at its timeout with Lambda's message", async () => {
    const started = Date.now();
    const r = await invoke(
      { "index.js": `exports.handler = () => new Promise(() => setInterval(() => {}, 1000));` },
      { timeout: 1 },
    );
    expect(Date.now() - started).toBeLessThan(2500);
    expect(r.functionError).toBe("Unhandled");
    expect((r.body as { errorMessage: string }).errorMessage).toMatch(
      /req-\d+ Task timed out after 1\.00 seconds$/u,
    );
    expect(r.log).toMatch(/Task timed out after 1\.00 seconds\nEND RequestId/u);
  });

  it("reports a process that exits without a result as Runtime.ExitError", async () => {
    const r = await invoke({ "index.js": `exports.handler = async () => { process.exit(3); };` });
    expect(r.body).toMatchObject({
      errorType: "Runtime.ExitError",
      errorMessage: expect.stringMatching(/exit status 3$/u),
    });
  });

  const python = spawnSync("python3", ["--version"]).status === 0;
  it.skipIf(!python)("runs a Python handler, and reports its exception in Python's shape", async () => {
    const ok = await invoke(
      {
        "app.py": `import os\ndef handler(event, context):\n    print("py log")\n    return {"x": event["x"], "name": context.function_name}\n`,
      },
      { runtime: "python3.12", handler: "app.handler" },
    );
    expect(ok.body).toEqual({ x: 1, name: "fn" });
    expect(ok.log).toContain("py log");
    const bad = await invoke(
      { "app.py": `def handler(event, context):\n    raise ValueError("nope")\n` },
      { runtime: "python3.12", handler: "app.handler" },
    );
    expect(bad.functionError).toBe("Unhandled");
    expect(bad.body).toMatchObject({ errorType: "ValueError", errorMessage: "nope", requestId: `req-${n}` });
  });

  it("checks at upload that the zip holds the handler's module", async () => {
    const zip = await zipOf({ "src/app.js": "" });
    expect(await runner.checkCode(zip, "nodejs20.x", "src/app.handler")).toBeUndefined();
    expect(await runner.checkCode(zip, "nodejs20.x", "index.handler")).toMatch(
      /names module file index\.js or index\.mjs or index\.cjs, which the function's zip does not contain/u,
    );
    expect(await runner.checkCode(zip, "nodejs20.x", "handler")).toMatch(/must be <module>\.<function>/u);
    expect(await runner.checkCode(new Uint8Array([1, 2, 3]), "nodejs20.x", "index.handler")).toMatch(
      /Could not unzip/u,
    );
    // Python's zipfile writes the names our writer refuses: one climbs out of the directory.
    const evil = pythonZipBytes(
      "import io, sys, zipfile\nb = io.BytesIO()\nz = zipfile.ZipFile(b, 'w')\nz.writestr('index.js', 'exports.handler = async () => 1;')\nz.writestr('../escaped.js', 'pwned')\nz.close()\nsys.stdout.buffer.write(b.getvalue())",
    );
    expect(await runner.checkCode(evil, "nodejs20.x", "index.handler")).toMatch(
      /^The zip cannot be unpacked safely: .*escaped\.js/u,
    );
    expect(existsSync(join(dir, "code", "escaped.js"))).toBe(false);
    expect(existsSync(join(dir, "escaped.js"))).toBe(false);
  });

  it("starts the next process ahead when warm: it has loaded the handler before the invocation comes", async () => {
    const warmDir = mkdtempSync(join(tmpdir(), "pipewright-fn-warm-"));
    let open = 0;
    const warm = createFunctionRunner({ dir: warmDir, sandbox: "none", warm: true });
    const zip = await zipOf({
      "index.js": `const loadedAt = Date.now(); console.log("init"); let calls = 0; exports.handler = async () => ({ loadedAt, calls: ++calls, pid: process.pid });`,
    });
    const fn = {
      functionName: "warm",
      functionArn: "arn",
      runtime: "nodejs20.x",
      handler: "index.handler",
      timeout: 3,
      memorySize: 128,
      environment: {},
      codeSha256: "d2FybQ==",
    };
    const once = async (requestId: string) => {
      const r = await warm.run({
        fn,
        code: async () => zip,
        payload: Buffer.from("{}"),
        requestId,
        platform: () => {
          open++;
          return { variables: {}, close: () => open-- };
        },
      });
      return {
        ...r,
        body: JSON.parse(Buffer.from(r.payload).toString()) as {
          loadedAt: number;
          calls: number;
          pid: number;
        },
      };
    };
    const first = await once("first");
    await new Promise((wake) => setTimeout(wake, 300));
    const sent = Date.now();
    const second = await once("second");
    expect(second.body.loadedAt).toBeLessThan(sent);
    // Still one process per invocation: nothing carries over from the first.
    expect(second.body.calls).toBe(1);
    expect(second.body.pid).not.toBe(first.body.pid);
    expect(second.log).toMatch(/^START RequestId: second Version: \$LATEST\n\S+\t\tINFO\tinit\n/u);
    warm.shutdown();
    await new Promise((wake) => setTimeout(wake, 200));
    expect(open).toBe(0);
    rmSync(warmDir, { recursive: true, force: true });
  });

  it.skipIf(!bwrapWorks())(
    "sandboxes a function with bubblewrap: the hidden directory is empty inside",
    async () => {
      const secretDir = mkdtempSync(join(tmpdir(), "pipewright-secret-"));
      const sandboxDir = join(secretDir, "functions");
      const sandboxed = createFunctionRunner({ dir: sandboxDir, sandbox: "bwrap", hide: [secretDir] });
      const zip = await zipOf({
        "index.js": `const fs = require("fs"); exports.handler = async (e) => ({ seen: fs.readdirSync(e.dir), pid: process.pid });`,
      });
      const r = await sandboxed.run({
        fn: {
          functionName: "fn",
          functionArn: "arn",
          runtime: "nodejs20.x",
          handler: "index.handler",
          timeout: 3,
          memorySize: 128,
          environment: {},
          codeSha256: "c2FuZGJveA==",
        },
        code: async () => zip,
        payload: Buffer.from(JSON.stringify({ dir: secretDir })),
        requestId: "sandboxed",
        platform: () => ({ variables: {}, close() {} }),
      });
      rmSync(secretDir, { recursive: true, force: true });
      const body = JSON.parse(Buffer.from(r.payload).toString()) as { seen: string[]; pid: number };
      // Only the functions directory is shown again inside the hidden data directory.
      expect(body.seen).toEqual(["functions"]);
      expect(body.pid).toBeLessThan(10);
    },
  );
});
