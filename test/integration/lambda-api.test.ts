import { execFile, execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FunctionServer, startFunctionServer, TEST_KEYS } from "../support/function-server.js";
import { zipOf } from "../support/zip-files.js";

const AWS = "/usr/bin/aws";
const run = promisify(execFile);
const ROLE = "arn:aws:iam::123456789012:role/lambda-role";

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: CLI output is read member by member.
  json: any;
}

let server: FunctionServer;
let dir: string;
let lambda: LambdaClient;

/** `aws lambda create-function` of `name` from the zip at `zip` (nodejs20.x, app.handler unless said). */
const createFunction = (
  name: string,
  zip: string,
  o: { runtime?: string; handler?: string; extra?: string[] } = {},
) =>
  aws(
    "lambda",
    "create-function",
    "--function-name",
    name,
    "--runtime",
    o.runtime ?? "nodejs20.x",
    "--handler",
    o.handler ?? "app.handler",
    "--role",
    ROLE,
    ...(o.extra ?? []),
    "--zip-file",
    `fileb://${zip}`,
  );

async function aws(...args: string[]): Promise<Cli> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_PAGER: "",
  };
  try {
    const { stdout, stderr } = await run(
      AWS,
      [...args, "--endpoint-url", server.endpoint, "--output", "json"],
      { env, cwd: dir },
    );
    return { code: 0, stdout, stderr, json: stdout.trim() ? JSON.parse(stdout) : undefined };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, json: undefined };
  }
}

async function zipFile(name: string, files: Record<string, string>): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await zipOf(files));
  return path;
}

beforeAll(async () => {
  server = await startFunctionServer();
  dir = mkdtempSync(join(tmpdir(), "pipewright-lambda-cli-"));
  lambda = new LambdaClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: TEST_KEYS,
  });
});
afterAll(async () => {
  lambda?.destroy();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(AWS))("the AWS CLI against the Lambda API", { timeout: 60_000 }, () => {
  it("creates a function from fileb://, waits for it to be active and invokes it with the log tail", async () => {
    const zip = await zipFile("echo.zip", {
      "index.js": `exports.handler = async (event) => { console.log("event", JSON.stringify(event)); return { echo: event, stage: process.env.STAGE }; };`,
    });
    const created = await aws(
      "lambda",
      "create-function",
      "--function-name",
      "echo",
      "--runtime",
      "nodejs20.x",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      `fileb://${zip}`,
      "--environment",
      "Variables={STAGE=beta}",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.json).toMatchObject({
      FunctionName: "echo",
      FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:echo",
      Runtime: "nodejs20.x",
      Timeout: 3,
      MemorySize: 128,
      Version: "$LATEST",
      State: "Active",
      LastUpdateStatus: "Successful",
      CodeSha256: createHash("sha256").update(readFileSync(zip)).digest("base64"),
      CodeSize: readFileSync(zip).length,
      Environment: { Variables: { STAGE: "beta" } },
    });
    expect((await aws("lambda", "wait", "function-active", "--function-name", "echo")).code).toBe(0);

    const invoked = await aws(
      "lambda",
      "invoke",
      "--function-name",
      "echo",
      "--cli-binary-format",
      "raw-in-base64-out",
      "--payload",
      '{"a":1}',
      "--log-type",
      "Tail",
      "out.json",
    );
    expect(invoked.code, invoked.stderr).toBe(0);
    expect(invoked.json.StatusCode).toBe(200);
    expect(invoked.json.ExecutedVersion).toBe("$LATEST");
    expect(invoked.json.FunctionError).toBeUndefined();
    const log = Buffer.from(invoked.json.LogResult, "base64").toString();
    expect(log).toMatch(
      /^START RequestId: \S+ Version: \$LATEST\n.*\tINFO\tevent \{"a":1\}\nEND RequestId: \S+\nREPORT RequestId/u,
    );
    expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8"))).toEqual({
      echo: { a: 1 },
      stage: "beta",
    });
  });

  it("answers a throwing function with FunctionError and Lambda's error document", async () => {
    const zip = await zipFile("throws.zip", {
      "index.mjs": `export const handler = async () => { throw new RangeError("out of range"); };`,
    });
    expect(
      (await createFunction("throws", zip, { runtime: "nodejs22.x", handler: "index.handler" })).code,
    ).toBe(0);
    const invoked = await aws("lambda", "invoke", "--function-name", "throws", "err.json");
    expect(invoked.code).toBe(0);
    expect(invoked.json).toMatchObject({ StatusCode: 200, FunctionError: "Unhandled" });
    expect(JSON.parse(readFileSync(join(dir, "err.json"), "utf8"))).toMatchObject({
      errorType: "RangeError",
      errorMessage: "out of range",
    });
  });

  it("updates configuration and code, serves the code link, and deletes", async () => {
    const first = await zipFile("v1.zip", { "index.js": `exports.handler = async () => "v1";` });
    await createFunction("versioned", first, { runtime: "nodejs18.x", handler: "index.handler" });
    const configured = await aws(
      "lambda",
      "update-function-configuration",
      "--function-name",
      "versioned",
      "--timeout",
      "10",
      "--memory-size",
      "256",
      "--description",
      "second",
    );
    expect(configured.code, configured.stderr).toBe(0);
    expect(configured.json).toMatchObject({ Timeout: 10, MemorySize: 256, Description: "second" });
    const second = await zipFile("v2.zip", { "index.js": `exports.handler = async () => "v2";` });
    const updated = await aws(
      "lambda",
      "update-function-code",
      "--function-name",
      "arn:aws:lambda:us-east-1:123456789012:function:versioned",
      "--zip-file",
      `fileb://${second}`,
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json.CodeSha256).toBe(createHash("sha256").update(readFileSync(second)).digest("base64"));
    expect(updated.json.RevisionId).not.toBe(configured.json.RevisionId);
    await aws("lambda", "invoke", "--function-name", "versioned", "v.json");
    expect(readFileSync(join(dir, "v.json"), "utf8")).toBe('"v2"');
    const got = await aws("lambda", "get-function", "--function-name", "versioned");
    expect(got.json.Configuration.Timeout).toBe(10);
    const download = await fetch(got.json.Code.Location);
    expect(Buffer.from(await download.arrayBuffer()).equals(readFileSync(second))).toBe(true);
    const stale = await aws(
      "lambda",
      "update-function-configuration",
      "--function-name",
      "versioned",
      "--timeout",
      "5",
      "--revision-id",
      configured.json.RevisionId,
    );
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toMatch(/PreconditionFailedException.*Revision Id provided does not match/u);
    expect((await aws("lambda", "delete-function", "--function-name", "versioned")).code).toBe(0);
    const gone = await aws("lambda", "get-function-configuration", "--function-name", "versioned");
    expect(gone.stderr).toMatch(
      /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:123456789012:function:versioned/u,
    );
  });

  it("refuses bad input with Lambda's exceptions and a message saying what to fix", {
    timeout: 120_000,
  }, async () => {
    const noHandler = await zipFile("nohandler.zip", { "app.js": "exports.handler = async () => 1;" });
    const missing = await createFunction("bad1", noHandler, { handler: "index.handler" });
    expect(missing.stderr).toMatch(
      /InvalidParameterValueException.*index\.handler names module file index\.js or index\.mjs or index\.cjs, which the function's zip does not contain/u,
    );
    const runtime = await createFunction("bad2", noHandler, { runtime: "java21" });
    expect(runtime.stderr).toMatch(
      /InvalidParameterValueException.*runtime parameter of java21 is not supported/u,
    );
    const once = await createFunction("dup", noHandler);
    expect(once.code, once.stderr).toBe(0);
    const twice = await createFunction("dup", noHandler);
    expect(twice.stderr).toMatch(/ResourceConflictException.*Function already exist: dup/u);
    const timeout = await createFunction("bad3", noHandler, { extra: ["--timeout", "901"] });
    expect(timeout.stderr).toMatch(
      /ValidationException.*'timeout' failed to satisfy constraint: Member must have value less than or equal to 900/u,
    );
    const reserved = await createFunction("bad4", noHandler, {
      extra: ["--environment", "Variables={AWS_REGION=x}"],
    });
    expect(reserved.stderr).toMatch(
      /InvalidParameterValueException.*Reserved keys used in this request: AWS_REGION/u,
    );
    // A 60 MB zip (random bytes do not compress) is over Lambda's upload limit.
    const big = join(dir, "big.zip");
    writeFileSync(
      big,
      await zipOf({
        "index.js": "exports.handler = async () => 1;",
        "blob.bin": randomBytes(60 * 1024 * 1024),
      }),
    );
    const tooBig = await createFunction("bad5", big, { handler: "index.handler" });
    expect(tooBig.stderr).toMatch(
      /RequestEntityTooLargeException.*Request must be smaller than 70167211 bytes for the CreateFunction operation/u,
    );
    const payload = await aws(
      "lambda",
      "invoke",
      "--function-name",
      "dup",
      "--cli-binary-format",
      "raw-in-base64-out",
      "--payload",
      "{not json",
      "x.json",
    );
    expect(payload.stderr).toMatch(/InvalidRequestContentException.*Could not parse request body into json/u);
    expect((await aws("lambda", "list-functions")).code).toBe(0);
  });
});

describe("the AWS SDK v3 against the Lambda API", { timeout: 60_000 }, () => {
  it("pages through ListFunctions and runs Event and DryRun invocations", async () => {
    const zip = await zipOf({ "index.js": "exports.handler = async () => 1;" });
    for (const name of ["page-a", "page-b", "page-c"]) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: "nodejs20.x",
          Handler: "index.handler",
          Role: ROLE,
          Code: { ZipFile: zip },
        }),
      );
    }
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await lambda.send(
        new ListFunctionsCommand({ MaxItems: 2, ...(marker ? { Marker: marker } : {}) }),
      );
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
      marker = page.NextMarker;
      pages++;
    } while (marker);
    expect(names.filter((n) => n.startsWith("page-"))).toEqual(["page-a", "page-b", "page-c"]);
    expect(pages).toBeGreaterThan(1);
    const event = await lambda.send(
      new InvokeCommand({ FunctionName: "page-a", InvocationType: "Event", Payload: Buffer.from("{}") }),
    );
    expect(event.StatusCode).toBe(202);
    const dry = await lambda.send(new InvokeCommand({ FunctionName: "page-a", InvocationType: "DryRun" }));
    expect(dry.StatusCode).toBe(204);
    await expect(lambda.send(new InvokeCommand({ FunctionName: "nope" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it("gives functions credentials and endpoints that SDK v3 and the legacy aws-sdk v2 use unchanged", async () => {
    const zip = await zipOf({
      "index.js": `
const { S3Client, CreateBucketCommand, PutObjectCommand } = require("@aws-sdk/client-s3");
const AWS = require("aws-sdk");
exports.handler = async (event) => {
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: event.bucket }));
  await s3.send(new PutObjectCommand({ Bucket: event.bucket, Key: "v3.txt", Body: "from v3" }));
  const v2 = new AWS.S3();
  await v2.putObject({ Bucket: event.bucket, Key: "v2.txt", Body: "from v2" }).promise();
  return { key: process.env.AWS_ACCESS_KEY_ID.slice(0, 6) };
};`,
    });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "inside",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Timeout: 30,
        Code: { ZipFile: zip },
      }),
    );
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: "inside",
        Payload: Buffer.from(JSON.stringify({ bucket: "from-function" })),
        LogType: "Tail",
      }),
    );
    const body = JSON.parse(Buffer.from(result.Payload!).toString());
    expect(
      result.FunctionError,
      `${JSON.stringify(body)}\n${Buffer.from(result.LogResult ?? "", "base64").toString()}`,
    ).toBeUndefined();
    expect(body).toEqual({ key: "ASIAPW" });
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: TEST_KEYS,
    });
    for (const [key, text] of [
      ["v3.txt", "from v3"],
      ["v2.txt", "from v2"],
    ]) {
      const got = await s3.send(new GetObjectCommand({ Bucket: "from-function", Key: key }));
      expect(await got.Body!.transformToString()).toBe(text);
    }
    s3.destroy();
  });
});

describe("the Lambda API on malformed requests", () => {
  it("answers each in Lambda's error shape, never a 500, and keeps serving", async () => {
    const signed = async (method: string, path: string, body?: string) => {
      const { SignatureV4 } = await import("@smithy/signature-v4");
      const { Sha256 } = await import("@aws-crypto/sha256-js");
      const url = new URL(path, server.endpoint);
      const signer = new SignatureV4({
        service: "lambda",
        region: "us-east-1",
        credentials: TEST_KEYS,
        sha256: Sha256,
      });
      const request = await signer.sign({
        method,
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: { host: url.host, "content-type": "application/json" },
        ...(body === undefined ? {} : { body }),
      });
      return fetch(url, {
        method,
        headers: request.headers as Record<string, string>,
        ...(body === undefined ? {} : { body }),
      });
    };
    const cases: [Promise<Response>, number, string, RegExp][] = [
      [
        signed("POST", "/2015-03-31/functions", "{not json"),
        400,
        "InvalidRequestContentException",
        /Could not parse request body into json/u,
      ],
      [
        signed("POST", "/2015-03-31/functions", "[1]"),
        400,
        "InvalidRequestContentException",
        /must be a JSON object/u,
      ],
      [
        signed(
          "POST",
          "/2015-03-31/functions",
          JSON.stringify({
            FunctionName: "x",
            Role: ROLE,
            Runtime: "nodejs20.x",
            Handler: "index.handler",
            Code: "zip",
          }),
        ),
        400,
        "InvalidParameterValueException",
        /Code must be an object/u,
      ],
      [
        signed("POST", "/2015-03-31/functions", JSON.stringify({ FunctionName: 7 })),
        400,
        "ValidationException",
        /at 'functionName'/u,
      ],
      [
        signed("GET", "/2015-03-31/functions/x/aliases"),
        400,
        "UnsupportedOperationException",
        /does not implement AWS Lambda \(GET aliases/u,
      ],
      [
        signed("GET", "/2015-03-31/functions/bad%ZZname"),
        400,
        "ValidationException",
        /malformed percent-escape/u,
      ],
      [fetch(`${server.endpoint}/2015-03-31/functions/`), 403, "MissingAuthenticationTokenException", /.*/u],
    ];
    for (const [pending, status, type, message] of cases) {
      const response = await pending;
      const body = (await response.json()) as { Type: string; message: string };
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.headers.get("x-amzn-errortype")).toBe(type);
      expect(body.message).toMatch(message);
      expect(body.message).not.toMatch(/\n\s+at /u);
    }
    const link = await fetch(`${server.endpoint}/2015-03-31/functions/echo/code?CodeSha256=00`);
    expect(link.status).toBe(403);
    expect((await signed("GET", "/2015-03-31/functions/")).status).toBe(200);
  });
});

const BOTO3 = ["/usr/bin/python3", "-c", "import boto3"];
describe.skipIf(execFileSyncOk(BOTO3) === false)("boto3 against the Lambda API", { timeout: 60_000 }, () => {
  it("creates, pages, invokes with the log tail and deletes", async () => {
    const script = `
import base64, io, json, sys, zipfile
import boto3
b = io.BytesIO()
z = zipfile.ZipFile(b, "w")
z.writestr("handler.py", "def main(event, context):\\n    print('hi from python')\\n    return {'sum': event['a'] + event['b'], 'remaining': context.get_remaining_time_in_millis() > 0}\\n")
z.close()
client = boto3.client("lambda", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
created = client.create_function(FunctionName="boto", Runtime="python3.12", Role="${ROLE}", Handler="handler.main", Code={"ZipFile": b.getvalue()})
client.get_waiter("function_active_v2").wait(FunctionName="boto")
names = [f["FunctionName"] for page in client.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 1}) for f in page["Functions"]]
out = client.invoke(FunctionName="boto", Payload=json.dumps({"a": 2, "b": 3}), LogType="Tail")
result = {"state": created["State"], "names": names, "status": out["StatusCode"], "payload": json.loads(out["Payload"].read()), "log": base64.b64decode(out["LogResult"]).decode()}
client.delete_function(FunctionName="boto")
try:
    client.get_function(FunctionName="boto")
except client.exceptions.ResourceNotFoundException as e:
    result["gone"] = e.response["Error"]["Message"]
print(json.dumps(result))
`;
    const { stdout } = await run("/usr/bin/python3", ["-c", script, server.endpoint]);
    const result = JSON.parse(stdout);
    expect(result.state).toBe("Active");
    expect(result.names).toContain("boto");
    expect(result.status).toBe(200);
    expect(result.payload).toEqual({ sum: 5, remaining: true });
    expect(result.log).toMatch(/hi from python\nEND RequestId/u);
    expect(result.gone).toMatch(/^Function not found: arn:aws:lambda:us-east-1:123456789012:function:boto$/u);
  });
});

function execFileSyncOk(command: string[]): boolean {
  try {
    execFileSync(command[0]!, command.slice(1), { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
