import { connect } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
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

/** Sends bytes as they are (clients refuse to send these) and reads one HTTP/1.1 answer. */
async function sendRaw(endpoint: string, request: string) {
  const url = new URL(endpoint);
  const text = await new Promise<string>((done, fail) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(request));
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("end", () => done(received));
    socket.on("error", fail);
    socket.setTimeout(5000, () => fail(new Error(`no answer in 5 s; got so far: ${received}`)));
  });
  const [head = "", ...rest] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
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

  // Requests that the fetch API cannot even represent (issue 9 item 1): each killed the server.
  const raw: Array<{ name: string; request: string; type: string; message: RegExp }> = [
    {
      name: "a TRACE request",
      request: "TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      type: "UnknownOperationException",
      message: /does not answer TRACE requests/u,
    },
    {
      name: "a Host with a port out of range",
      request: "GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n",
      type: "InvalidRequestException",
      message: /The Host header 'a:99999' is not a valid host\[:port\]/u,
    },
    {
      name: "a Host holding a path",
      request:
        "POST / HTTP/1.1\r\nHost: evil.example/x\r\nX-Amz-Target: CodePipeline_20150709.ListPipelines\r\nContent-Length: 2\r\n\r\n{}",
      type: "InvalidRequestException",
      message: /is not a valid host/u,
    },
  ];
  for (const c of raw) {
    it(`answers ${c.name} with ${c.type} and keeps running`, async () => {
      const answer = await sendRaw(server.endpoint, c.request);
      expect(answer.status).toBe(400);
      expect(answer.headers["x-amzn-errortype"]).toBe(c.type);
      const json = JSON.parse(answer.body) as { __type: string; message: string };
      expect(json.__type).toBe(c.type);
      expect(json.message).toMatch(c.message);
      expect(server.child.exitCode).toBeNull();
    });
  }

  it("refuses a JSON request whose signature is scoped to another service", async () => {
    const url = new URL(server.endpoint);
    const body = "{}";
    const signer = new SignatureV4({
      service: "s3",
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDANY", secretAccessKey: "any" },
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers: {
        host: url.host,
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "CodePipeline_20150709.ListPipelines",
      },
      body,
    });
    const response = await fetch(server.endpoint, { method: "POST", headers: signed.headers, body });
    const json = (await response.json()) as { __type: string; message: string };
    expect(response.status).toBe(403);
    expect(json).toEqual({
      __type: "InvalidSignatureException",
      message: "Credential should be scoped to correct service: 'codepipeline'. ",
    });
  });

  it("still serves normal requests afterwards", async () => {
    const result = await post(server.endpoint, "CodePipeline_20150709.ListPipelines", "{}");
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ pipelines: [] });
    expect(server.child.exitCode).toBeNull();
  });
});
