import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

async function post(endpoint: string, target: string | undefined, body: string) {
  const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1" };
  if (target) headers["x-amz-target"] = target;
  const response = await fetch(endpoint, { method: "POST", headers, body });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: JSON.parse(text) as { __type: string; message: string },
    response,
  };
}

describe("malformed requests get AWS-shaped errors and the server keeps serving", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ args: ["--max-body-bytes", "4096"] });
  });
  afterAll(async () => {
    await server.kill();
    removeDir(server.dataDir);
  });

  const cases: Array<{
    name: string;
    target?: string;
    body: string;
    status: number;
    type: string;
    message: RegExp;
  }> = [
    {
      name: "invalid JSON",
      target: "CodePipeline_20150709.ListPipelines",
      body: "{not json",
      status: 400,
      type: "SerializationException",
      message: /^The request body is not valid JSON/u,
    },
    {
      name: "a JSON array body",
      target: "CodePipeline_20150709.ListPipelines",
      body: "[]",
      status: 400,
      type: "SerializationException",
      message: /must be a JSON object/u,
    },
    {
      name: "an unknown operation",
      target: "CodePipeline_20150709.MakeCoffee",
      body: "{}",
      status: 400,
      type: "UnknownOperationException",
      message: /Unknown operation CodePipeline_20150709\.MakeCoffee/u,
    },
    {
      name: "an unknown service prefix",
      target: "Espresso_20200101.Brew",
      body: "{}",
      status: 400,
      type: "UnknownOperationException",
      message: /Espresso_20200101/u,
    },
    {
      name: "an AWS operation Pipewright does not implement yet",
      target: "CodePipeline_20150709.PutWebhook",
      body: "{}",
      status: 400,
      type: "UnsupportedOperationException",
      message: /does not implement CodePipeline_20150709\.PutWebhook yet/u,
    },
    {
      name: "a member of the wrong type",
      target: "CodePipeline_20150709.GetPipeline",
      body: '{"name": 5}',
      status: 400,
      type: "SerializationException",
      message: /Expected a string but found number at 'name'/u,
    },
    {
      name: "a missing required member",
      target: "CodePipeline_20150709.GetPipeline",
      body: "{}",
      status: 400,
      type: "ValidationException",
      message:
        /^1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null$/u,
    },
    {
      name: "a member breaking its pattern and range",
      target: "CodePipeline_20150709.GetPipeline",
      body: '{"name": "bad name", "version": 0}',
      status: 400,
      type: "ValidationException",
      message:
        /^2 validation errors detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: \[A-Za-z0-9\.@\\-_\]\+; Value '0' at 'version'/u,
    },
    {
      name: "a body over the configured limit",
      target: "CodePipeline_20150709.CreatePipeline",
      body: JSON.stringify({ pipeline: { name: "x".repeat(5000) } }),
      status: 413,
      type: "RequestEntityTooLargeException",
      message: /exceeds the limit of 4096 bytes/u,
    },
    {
      name: "no X-Amz-Target at all",
      body: "{}",
      status: 400,
      type: "UnknownOperationException",
      message: /need an X-Amz-Target header/u,
    },
  ];

  for (const c of cases) {
    it(`answers ${c.name} with ${c.type}`, async () => {
      const result = await post(server.endpoint, c.target, c.body);
      expect(result.status).toBe(c.status);
      expect(result.json.__type).toBe(c.type);
      expect(result.response.headers.get("x-amzn-errortype")).toBe(c.type);
      expect(result.response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/u);
      expect(result.json.message).toMatch(c.message);
      expect(result.text).not.toMatch(/\n\s+at /u);
    });
  }

  it("still serves normal requests afterwards", async () => {
    const result = await post(server.endpoint, "CodePipeline_20150709.ListPipelines", "{}");
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ pipelines: [] });
    expect(server.child.exitCode).toBeNull();
  });
});
