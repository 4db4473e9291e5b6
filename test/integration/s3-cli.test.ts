import { execFile, execFileSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIALS, deterministicBytes } from "../support/s3-clients.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Debian's awscli and python3-boto3 are judges of wire compatibility too; .ci/run installs them.
const AWS = "/usr/bin/aws";
const PYTHON = "/usr/bin/python3";
const run = promisify(execFile);
const haveCli = existsSync(AWS);
const haveBoto3 = (() => {
  try {
    execFileSync(PYTHON, ["-c", "import boto3"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** An environment that names the test's keys and nothing else: no profile, no metadata service. */
function clientEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
  };
}

describe("S3 command-line clients against a real server process", () => {
  let server: ServerProcess;
  let home: string;

  beforeAll(async () => {
    server = await startServerProcess({
      env: { PIPEWRIGHT_CREDENTIALS: `${CREDENTIALS.accessKeyId}:${CREDENTIALS.secretAccessKey}` },
    });
    home = join(server.dataDir, "client-home");
    mkdirSync(home);
  });
  afterAll(async () => {
    await server.kill();
    removeDir(server.dataDir);
  });

  async function aws(...args: string[]): Promise<string> {
    try {
      const { stdout } = await run(AWS, [...args, "--endpoint-url", server.endpoint], {
        env: clientEnv(home),
      });
      return stdout;
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(
        `aws ${args.join(" ")} failed: ${e.stderr ?? e.message}\n${server.output().slice(-2000)}`,
      );
    }
  }

  it("aws s3: mb, cp of 20 MB up and down (multipart), ls, versioning, list-object-versions", async ({
    skip,
  }) => {
    if (!haveCli) skip(`${AWS} is not installed (Debian's awscli package)`);
    await aws("s3", "mb", "s3://cli-bucket");
    const original = join(home, "original.bin");
    await pipeline(Readable.from(deterministicBytes(20 * 1024 * 1024 + 17)), createWriteStream(original));
    await aws("s3", "cp", original, "s3://cli-bucket/dir/file.bin");
    const copy = join(home, "copy.bin");
    await aws("s3", "cp", "s3://cli-bucket/dir/file.bin", copy);
    expect(readFileSync(copy).equals(readFileSync(original))).toBe(true);
    expect(await aws("s3", "ls", "s3://cli-bucket/dir/")).toMatch(/\s20971537 file\.bin\n$/u);
    expect(await aws("s3", "ls")).toContain("cli-bucket");

    await aws(
      "s3api",
      "put-bucket-versioning",
      "--bucket",
      "cli-bucket",
      "--versioning-configuration",
      "Status=Enabled",
    );
    for (const _ of [1, 2]) await aws("s3", "cp", join(home, "copy.bin"), "s3://cli-bucket/versioned.bin");
    const listed = JSON.parse(
      await aws("s3api", "list-object-versions", "--bucket", "cli-bucket", "--prefix", "versioned"),
    );
    expect(listed.Versions.map((v: { IsLatest: boolean }) => v.IsLatest)).toEqual([true, false]);
    expect(new Set(listed.Versions.map((v: { VersionId: string }) => v.VersionId)).size).toBe(2);

    // A URL the CLI presigns is fetched by anything.
    const url = (await aws("s3", "presign", "s3://cli-bucket/dir/file.bin", "--expires-in", "60")).trim();
    const response = await fetch(url, { headers: { range: "bytes=0-15" } });
    expect([
      response.status,
      Buffer.from(await response.arrayBuffer()).equals(readFileSync(original).subarray(0, 16)),
    ]).toEqual([206, true]);
  });

  it("boto3: put and get round trip with path-style addressing", async ({ skip }) => {
    if (!haveBoto3) skip(`${PYTHON} cannot import boto3 (Debian's python3-boto3 package)`);
    const script = `
import json, sys, boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
s3.create_bucket(Bucket="boto-bucket")
put = s3.put_object(Bucket="boto-bucket", Key="dir/hello.txt", Body=b"hello from boto3", Metadata={"team": "ci"})
got = s3.get_object(Bucket="boto-bucket", Key="dir/hello.txt")
print(json.dumps({"etag": put["ETag"], "body": got["Body"].read().decode(), "meta": got["Metadata"]}))
`;
    const { stdout } = await run(PYTHON, ["-c", script, server.endpoint], { env: clientEnv(home) });
    expect(JSON.parse(stdout)).toEqual({
      etag: '"230d1936c9f9149dcc95fff6be6b89ef"',
      body: "hello from boto3",
      meta: { team: "ci" },
    });
  });

  it("logged no unexpected failure while serving the clients", () => {
    expect(server.output()).not.toContain("request failed");
  });
});
