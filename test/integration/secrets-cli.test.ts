import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Debian's awscli (2.9) and python3-boto3 judge Parameter Store and Secrets Manager on the wire,
// against a real server process with SigV4 keys configured. .ci/run installs them.
const AWS = "/usr/bin/aws";
const PYTHON = "/usr/bin/python3";
const run = promisify(execFile);
const KEYS = { accessKeyId: "AKIDSECRETS", secretAccessKey: "secrets-test-key/with+chars" };
const haveBoto3 = (() => {
  try {
    execFileSync(PYTHON, ["-c", "import boto3"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

// Values that must never appear in the data directory's files or in the server's output.
const PARAMETER_VALUE = "Pl41n-Parameter-Value-7f3a";
const PARAMETER_VALUE_2 = "Pl41n-Parameter-Value-9c1d";
const SECRET_VALUE = "Sm-Secret-Value-41b7";
const SECRET_VALUE_2 = "Sm-Secret-Value-88e2";
const plaintexts = [PARAMETER_VALUE, PARAMETER_VALUE_2, SECRET_VALUE, SECRET_VALUE_2];

interface Cli {
  code: number;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: CLI output is read member by member.
  json: any;
}

// Each CLI call starts a Python interpreter (about half a second), so tests get a minute.
describe.skipIf(!existsSync(AWS))(
  "the AWS CLI against Parameter Store and Secrets Manager",
  { timeout: 60_000 },
  () => {
    let server: ServerProcess;
    let home: string;
    let dataDir: string;

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

    async function aws(...args: string[]): Promise<Cli> {
      try {
        const { stdout, stderr } = await run(
          AWS,
          [...args, "--endpoint-url", server.endpoint, "--output", "json"],
          {
            env: env(),
          },
        );
        return { code: 0, stderr, json: stdout.trim() ? JSON.parse(stdout) : {} };
      } catch (error) {
        const e = error as { code: number; stderr: string };
        // With AWS_MAX_ATTEMPTS=1 the CLI says "operation (reached max retries: 0): message".
        return { code: e.code, stderr: e.stderr.replace(/ \(reached max retries: \d+\)/gu, ""), json: {} };
      }
    }

    const start = async () => {
      server = await startServerProcess({
        dataDir,
        env: { PIPEWRIGHT_CREDENTIALS: `${KEYS.accessKeyId}:${KEYS.secretAccessKey}` },
      });
    };

    beforeAll(async () => {
      await start();
      dataDir = server.dataDir;
      home = join(dataDir, "client-home");
      mkdirSync(home);
    });
    afterAll(async () => {
      await server?.kill();
      if (dataDir) removeDir(dataDir);
    });

    it("ssm: puts a SecureString, reads it decrypted, refuses an overwrite without --overwrite", async () => {
      const put = await aws(
        "ssm",
        "put-parameter",
        "--name",
        "/cli/db/password",
        "--type",
        "SecureString",
        "--value",
        PARAMETER_VALUE,
      );
      expect(put.code, put.stderr).toBe(0);
      expect(put.json).toEqual({ Version: 1, Tier: "Standard" });

      const got = await aws("ssm", "get-parameter", "--name", "/cli/db/password", "--with-decryption");
      expect(got.code, got.stderr).toBe(0);
      expect(got.json.Parameter).toMatchObject({
        Name: "/cli/db/password",
        Type: "SecureString",
        Value: PARAMETER_VALUE,
        Version: 1,
        ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/cli/db/password",
      });
      const opaque = await aws("ssm", "get-parameter", "--name", "/cli/db/password");
      expect(opaque.json.Parameter.Value).not.toContain(PARAMETER_VALUE);

      const again = await aws(
        "ssm",
        "put-parameter",
        "--name",
        "/cli/db/password",
        "--type",
        "SecureString",
        "--value",
        PARAMETER_VALUE_2,
      );
      expect(again.code).toBe(254);
      expect(again.stderr).toContain(
        "An error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
      );
      const overwritten = await aws(
        "ssm",
        "put-parameter",
        "--name",
        "/cli/db/password",
        "--value",
        PARAMETER_VALUE_2,
        "--overwrite",
      );
      expect(overwritten.json).toEqual({ Version: 2, Tier: "Standard" });
      const byPath = await aws(
        "ssm",
        "get-parameters-by-path",
        "--path",
        "/cli",
        "--recursive",
        "--with-decryption",
      );
      expect(byPath.json.Parameters.map((p: { Value: string }) => p.Value)).toEqual([PARAMETER_VALUE_2]);
      const first = await aws("ssm", "get-parameter", "--name", "/cli/db/password:1", "--with-decryption");
      expect(first.json.Parameter.Value).toBe(PARAMETER_VALUE);

      const missing = await aws("ssm", "get-parameter", "--name", "/cli/none");
      expect(missing.stderr).toContain(
        "An error occurred (ParameterNotFound) when calling the GetParameter operation",
      );
    });

    it("secretsmanager: creates, reads by name and ARN, puts a new value, keeps AWSPREVIOUS, deletes", async () => {
      const created = await aws(
        "secretsmanager",
        "create-secret",
        "--name",
        "cli/app",
        "--secret-string",
        SECRET_VALUE,
      );
      expect(created.code, created.stderr).toBe(0);
      const arn = created.json.ARN as string;
      expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:cli\/app-[A-Za-z0-9]{6}$/u);
      expect(created.json.VersionId).toMatch(/^[0-9a-f-]{36}$/u);

      for (const id of ["cli/app", arn]) {
        const got = await aws("secretsmanager", "get-secret-value", "--secret-id", id);
        expect(got.code, got.stderr).toBe(0);
        expect(got.json).toMatchObject({
          ARN: arn,
          Name: "cli/app",
          SecretString: SECRET_VALUE,
          VersionStages: ["AWSCURRENT"],
        });
      }

      const put = await aws(
        "secretsmanager",
        "put-secret-value",
        "--secret-id",
        "cli/app",
        "--secret-string",
        SECRET_VALUE_2,
      );
      expect(put.code, put.stderr).toBe(0);
      expect(put.json.VersionStages).toEqual(["AWSCURRENT"]);
      const current = await aws("secretsmanager", "get-secret-value", "--secret-id", arn);
      expect(current.json.SecretString).toBe(SECRET_VALUE_2);
      const previous = await aws(
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "cli/app",
        "--version-stage",
        "AWSPREVIOUS",
      );
      expect(previous.json).toMatchObject({ SecretString: SECRET_VALUE, VersionId: created.json.VersionId });

      const described = await aws("secretsmanager", "describe-secret", "--secret-id", "cli/app");
      expect(described.json.VersionIdsToStages).toEqual({
        [created.json.VersionId]: ["AWSPREVIOUS"],
        [put.json.VersionId]: ["AWSCURRENT"],
      });

      const taken = await aws("secretsmanager", "create-secret", "--name", "cli/app", "--secret-string", "x");
      expect(taken.stderr).toContain(
        "An error occurred (ResourceExistsException) when calling the CreateSecret operation: The operation failed because the secret cli/app already exists.",
      );
    });

    it("secretsmanager: a deleted secret cannot be read; a missing one is ResourceNotFoundException", async () => {
      await aws("secretsmanager", "create-secret", "--name", "cli/doomed", "--secret-string", "short-lived");
      const deleted = await aws(
        "secretsmanager",
        "delete-secret",
        "--secret-id",
        "cli/doomed",
        "--recovery-window-in-days",
        "7",
      );
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.json.Name).toBe("cli/doomed");
      const read = await aws("secretsmanager", "get-secret-value", "--secret-id", "cli/doomed");
      expect(read.code).toBe(254);
      expect(read.stderr).toContain(
        "An error occurred (InvalidRequestException) when calling the GetSecretValue operation: You can't perform this operation on the secret because it was marked for deletion.",
      );
      const forced = await aws(
        "secretsmanager",
        "delete-secret",
        "--secret-id",
        "cli/doomed",
        "--force-delete-without-recovery",
      );
      expect(forced.code, forced.stderr).toBe(0);
      const gone = await aws("secretsmanager", "get-secret-value", "--secret-id", "cli/doomed");
      expect(gone.stderr).toContain(
        "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.",
      );
    });

    it("boto3: parameters and secrets round trip", async ({ skip }) => {
      if (!haveBoto3) skip(`${PYTHON} cannot import boto3 (Debian's python3-boto3 package)`);
      const script = `
import json, sys, boto3
from botocore.config import Config
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", config=Config(retries={"max_attempts": 1}))
ssm = boto3.client("ssm", **kw)
sm = boto3.client("secretsmanager", **kw)
ssm.put_parameter(Name="/boto/flag", Value="on,off", Type="StringList")
p = ssm.get_parameters(Names=["/boto/flag", "/boto/none"])
sm.create_secret(Name="boto/json", SecretString=json.dumps({"user": "bot"}))
s = sm.get_secret_value(SecretId="boto/json")
try:
    sm.get_secret_value(SecretId="boto/none")
    code = None
except sm.exceptions.ResourceNotFoundException as e:
    code = e.response["Error"]["Code"]
print(json.dumps({"values": [x["Value"] for x in p["Parameters"]], "invalid": p["InvalidParameters"],
                  "secret": json.loads(s["SecretString"]), "created": type(s["CreatedDate"]).__name__, "missing": code}))
`;
      const { stdout } = await run(PYTHON, ["-c", script, server.endpoint], { env: env() });
      expect(JSON.parse(stdout)).toEqual({
        values: ["on,off"],
        invalid: ["/boto/none"],
        secret: { user: "bot" },
        created: "datetime",
        missing: "ResourceNotFoundException",
      });
    });

    it("keeps values encrypted at rest: no plaintext in the database files or the server's output", () => {
      const key = statSync(join(dataDir, "secrets.key"));
      expect(key.mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(join(dataDir, "secrets.key"), "utf8").trim(), "base64")).toHaveLength(
        32,
      );
      const dbFiles = readdirSync(dataDir).filter((f) => f.startsWith("pipewright.db"));
      expect(dbFiles).toContain("pipewright.db");
      for (const file of dbFiles) {
        const bytes = readFileSync(join(dataDir, file));
        for (const plaintext of plaintexts) {
          expect(bytes.includes(Buffer.from(plaintext)), `${plaintext} in ${file}`).toBe(false);
        }
      }
      // The names are there: the search would find a plaintext if one had been written.
      const everything = Buffer.concat(dbFiles.map((f) => readFileSync(join(dataDir, f))));
      expect(everything.includes(Buffer.from("/cli/db/password"))).toBe(true);
      for (const plaintext of plaintexts) expect(server.output()).not.toContain(plaintext);
      expect(server.output()).not.toContain("request failed");
    });

    it("reads the values after a restart with the same key, and says clearly when the key is another", async () => {
      await server.kill();
      await start();
      const got = await aws("ssm", "get-parameter", "--name", "/cli/db/password", "--with-decryption");
      expect(got.json.Parameter?.Value, got.stderr).toBe(PARAMETER_VALUE_2);
      const secret = await aws("secretsmanager", "get-secret-value", "--secret-id", "cli/app");
      expect(secret.json.SecretString, secret.stderr).toBe(SECRET_VALUE_2);

      await server.kill();
      const keyFile = join(dataDir, "secrets.key");
      const original = readFileSync(keyFile, "utf8");
      writeFileSync(keyFile, `${Buffer.alloc(32, 7).toString("base64")}\n`);
      try {
        await start();
        const wrong = await aws("ssm", "get-parameter", "--name", "/cli/db/password", "--with-decryption");
        expect(wrong.code).toBe(254);
        expect(wrong.stderr).toContain(
          "An error occurred (DecryptionFailure) when calling the GetParameter operation: The stored value was encrypted with a different key than this server's secrets.key",
        );
        const wrongSecret = await aws("secretsmanager", "get-secret-value", "--secret-id", "cli/app");
        expect(wrongSecret.stderr).toContain("(DecryptionFailure)");
      } finally {
        await server.kill();
        writeFileSync(keyFile, original);
        await start();
      }
    });
  },
);
