import { CreateFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";
import { zipOf } from "../support/zip-files.js";

// `pipewright serve` ends promptly on SIGTERM after a function ran: the process the runner starts
// ahead for the next invocation (warm start) is ended with the server instead of keeping it
// alive for its 5 idle minutes (found by `pipewright demo --stop`, which waited 5 minutes).
describe("stopping a server that ran a function", () => {
  let server: ServerProcess | undefined;
  afterAll(() => {
    if (server) removeDir(server.dataDir);
  });

  it("exits within seconds of SIGTERM, warm function process and all", { timeout: 60_000 }, async () => {
    server = await startServerProcess();
    const lambda = new LambdaClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "warm",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: "arn:aws:iam::000000000000:role/fn",
        Code: { ZipFile: await zipOf({ "index.js": "exports.handler = async () => ({ ok: true });" }) },
      }),
    );
    const answer = await lambda.send(new InvokeCommand({ FunctionName: "warm" }));
    expect(new TextDecoder().decode(answer.Payload)).toBe('{"ok":true}');
    lambda.destroy();
    // Let the runner start its process ahead.
    await new Promise((done) => setTimeout(done, 1000));
    const stopping = Date.now();
    await server.kill("SIGTERM");
    const ms = Date.now() - stopping;
    console.log(`server exited ${ms} ms after SIGTERM`);
    expect(ms).toBeLessThan(10_000);
  });
});
