import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createInsideCredentials, credentialsDocument, insideEnvironment, writeShims } from "./index.js";

describe("inside credentials", () => {
  it("serve a session until it is closed or expires, and only by its own token", () => {
    let now = 1_000;
    const inside = createInsideCredentials({ now: () => now });
    const subject = {
      kind: "build",
      id: "p:1",
      scope: { accountId: "000000000000", region: "us-east-1" },
    } as const;
    const a = inside.open(subject, 60_000);
    const b = inside.open({ ...subject, id: "p:2" }, 60_000);
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
    expect(inside.secretFor(a.accessKeyId)?.secretAccessKey).toBe(a.secretAccessKey);
    expect(inside.byAuthorizationToken(b.authorizationToken)?.subject.id).toBe("p:2");
    expect(inside.byAuthorizationToken(`${b.authorizationToken}x`)).toBeUndefined();
    a.close();
    expect(inside.secretFor(a.accessKeyId)).toBeUndefined();
    expect(inside.byAuthorizationToken(a.authorizationToken)).toBeUndefined();
    now += 60_000;
    expect(inside.secretFor(b.accessKeyId)).toBeUndefined();
    expect(credentialsDocument({ ...b, expiration: 0 })).toEqual({
      AccessKeyId: b.accessKeyId,
      SecretAccessKey: b.secretAccessKey,
      Token: b.sessionToken,
      Expiration: "1970-01-01T00:00:00.000Z",
    });
  });
});

describe("the shims", () => {
  const dir = mkdtempSync(join(tmpdir(), "pw-shims-"));
  const shims = writeShims(join(dir, "shims"));
  // A stand-in for the real CLI, later on PATH: it prints what it was called with.
  const fakeBin = join(dir, "bin");
  mkdirSync(fakeBin);
  writeFileSync(
    join(fakeBin, "aws"),
    '#!/bin/sh\nif [ "$*" = "--endpoint-url http://127.0.0.1:9 ecr get-login-password" ]; then echo pw-123; exit 0; fi\necho "real aws: $*"\n',
  );
  chmodSync(join(fakeBin, "aws"), 0o755);
  const env = (path: string): Record<string, string> => ({
    PATH: path,
    ...insideEnvironment({
      endpoint: "http://127.0.0.1:9",
      registryHost: "127.0.0.1:9",
      authorizationToken: "t",
      shimDir: shims,
    }),
  });
  const aws = (path: string, ...args: string[]) =>
    execFileSync(join(shims, "aws"), args, { env: env(path), encoding: "utf8" }).trim();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("run the next aws on PATH with the endpoint, unless the command names one", () => {
    const path = `${shims}:${fakeBin}:/usr/bin:/bin`;
    expect(aws(path, "s3", "ls")).toBe("real aws: --endpoint-url http://127.0.0.1:9 s3 ls");
    expect(aws(path, "s3", "ls", "--endpoint-url", "http://elsewhere")).toBe(
      "real aws: s3 ls --endpoint-url http://elsewhere",
    );
  });

  it("print CLI v1's docker login line for aws ecr get-login", () => {
    const path = `${shims}:${fakeBin}:/usr/bin:/bin`;
    expect(aws(path, "ecr", "get-login", "--no-include-email", "--region", "us-east-1")).toBe(
      "docker login -u AWS -p pw-123 http://127.0.0.1:9",
    );
    expect(aws(path, "ecr", "get-login")).toBe("docker login -u AWS -p pw-123 -e none http://127.0.0.1:9");
  });

  it("say clearly that there is no AWS CLI when the image has none", () => {
    let failure: { status: number; stderr: string } | undefined;
    try {
      aws(`${shims}:/nonexistent`, "s3", "ls");
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(127);
    expect(failure?.stderr.toString()).toContain("this build image has no AWS CLI");
  });

  it("point the JavaScript SDK v2 at the server when a program loads it", () => {
    const project = join(dir, "project");
    mkdirSync(join(project, "node_modules", "aws-sdk"), { recursive: true });
    // A stand-in for aws-sdk v2's global config object (the real package is not installed here).
    writeFileSync(
      join(project, "node_modules", "aws-sdk", "index.js"),
      "module.exports = { config: { update(o) { this.seen = o; } } };\n",
    );
    const out = execFileSync(
      process.execPath,
      ["-e", "console.log(JSON.stringify(require('aws-sdk').config.seen))"],
      {
        cwd: project,
        env: env("/usr/bin:/bin"),
        encoding: "utf8",
      },
    );
    expect(JSON.parse(out)).toEqual({ endpoint: "http://127.0.0.1:9", s3ForcePathStyle: true });
  });
});
