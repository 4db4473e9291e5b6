import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// A pipeline user's scripts call many AWS services; the ones Pipewright does not serve must answer
// in their own protocol (JSON, REST-JSON, query XML, EC2 XML, REST-XML) so that the real clients
// print a readable error naming the service and the operation. STS GetCallerIdentity is served.
const AWS = "/usr/bin/aws";
const PYTHON = "/usr/bin/python3";
const run = promisify(execFile);
const KEYS = { accessKeyId: "AKIDUNSUPPORTED", secretAccessKey: "unsupported-test-key" };
const haveBoto3 = (() => {
  try {
    execFileSync(PYTHON, ["-c", "import boto3"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const cases: { args: string[]; service: string; operation: string }[] = [
  { args: ["iam", "list-roles"], service: "AWS IAM", operation: "ListRoles" },
  { args: ["cloudformation", "list-stacks"], service: "AWS CloudFormation", operation: "ListStacks" },
  { args: ["ec2", "describe-vpcs"], service: "Amazon EC2", operation: "DescribeVpcs" },
  { args: ["sqs", "list-queues"], service: "Amazon SQS", operation: "ListQueues" },
  { args: ["sns", "list-topics"], service: "Amazon SNS", operation: "ListTopics" },
  { args: ["dynamodb", "list-tables"], service: "Amazon DynamoDB", operation: "ListTables" },
  { args: ["kms", "list-keys"], service: "AWS KMS", operation: "ListKeys" },
  { args: ["route53", "list-hosted-zones"], service: "Amazon Route 53", operation: "/2013-04-01/hostedzone" },
];

describe.skipIf(!existsSync(AWS))(
  "services Pipewright does not serve, judged by the AWS CLI",
  { timeout: 90_000 },
  () => {
    let server: ServerProcess;
    let home: string;

    const env = () => ({
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_PAGER: "",
      AWS_MAX_ATTEMPTS: "1",
    });

    async function aws(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      try {
        const { stdout, stderr } = await run(
          AWS,
          [...args, "--endpoint-url", server.endpoint, "--output", "json"],
          {
            env: env(),
          },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    }

    beforeAll(async () => {
      server = await startServerProcess({
        env: { PIPEWRIGHT_CREDENTIALS: `${KEYS.accessKeyId}:${KEYS.secretAccessKey}` },
      });
      home = join(server.dataDir, "client-home");
      mkdirSync(home);
    });
    afterAll(async () => {
      await server?.kill();
      if (server) removeDir(server.dataDir);
    });

    it("sts get-caller-identity names the caller's key and the local account", async () => {
      const result = await aws(["sts", "get-caller-identity"]);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        UserId: KEYS.accessKeyId,
        Account: "000000000000",
        Arn: `arn:aws:iam::000000000000:user/${KEYS.accessKeyId}`,
      });
    });

    it("every other service gets an error the CLI prints, naming service, operation and the docs", async () => {
      const results = await Promise.all(cases.map((c) => aws(c.args)));
      cases.forEach(({ args, service, operation }, index) => {
        const result = results[index]!;
        expect(result.code, `${args.join(" ")}: ${result.stderr}`).not.toBe(0);
        // A body the CLI cannot parse shows as "invalid XML received" or a bare status code instead.
        expect(result.stderr).toMatch(/An error occurred \(UnsupportedOperation(Exception)?\)/u);
        expect(result.stderr).toContain(`Pipewright does not implement ${service}`);
        expect(result.stderr).toContain(operation);
        expect(result.stderr).toContain("docs/compatibility.md");
      });
    });

    it.skipIf(!haveBoto3)(
      "boto3 reads the same answers: STS served, IAM refused with a parsed error code",
      async () => {
        const script = [
          "import boto3, botocore, json, sys",
          "kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1')",
          "out = {'account': boto3.client('sts', **kw).get_caller_identity()['Account']}",
          "try:",
          "    boto3.client('iam', **kw).list_users()",
          "except botocore.exceptions.ClientError as e:",
          "    out['code'] = e.response['Error']['Code']; out['message'] = e.response['Error']['Message']",
          "print(json.dumps(out))",
        ].join("\n");
        const { stdout } = await run(PYTHON, ["-c", script, server.endpoint], { env: env() });
        const out = JSON.parse(stdout);
        expect(out.account).toBe("000000000000");
        expect(out.code).toBe("UnsupportedOperation");
        expect(out.message).toContain("AWS IAM (ListUsers)");
      },
    );
  },
);
