import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import {
  CodeCommitClient,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  GetBranchCommand,
  GetCommitCommand,
  GetRepositoryCommand,
  ListBranchesCommand,
  ListRepositoriesCommand,
} from "@aws-sdk/client-codecommit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneUrl, createGitCli, type GitCli } from "../support/git-cli.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

const KEYS = { accessKeyId: "AKIDGITHOSTING", secretAccessKey: "hosting-secret/with+chars" };
const AWS = "/usr/bin/aws";
const run = promisify(execFile);

/** A request with the target exactly as written: fetch() would resolve `..` and `%2e%2e` first. */
function rawRequest(endpoint: string, path: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(endpoint);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: hostname, port, method: "GET", path, headers }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}

/** Every path under `dir`, relative to it (directories included). */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((p) => relative(dir, join(dir, p)))
    .sort();
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

// The real server process, the real git client and the AWS SDK's CodeCommit client (and the AWS
// CLI when installed): hosted repositories end to end, with credentials configured.
describe("hosted git repositories on a real server process", () => {
  let server: ServerProcess;
  let codecommit: CodeCommitClient;
  let cli: GitCli;
  const authed = (name: string) => cloneUrl(server.endpoint, name, KEYS);

  beforeAll(async () => {
    server = await startServerProcess({
      env: { PIPEWRIGHT_CREDENTIALS: `${KEYS.accessKeyId}:${KEYS.secretAccessKey}` },
    });
    codecommit = new CodeCommitClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: KEYS,
      maxAttempts: 1,
    });
    cli = createGitCli();
  });
  afterAll(async () => {
    codecommit?.destroy();
    await server?.kill();
    if (server) removeDir(server.dataDir);
    cli?.cleanup();
  });

  it("creates a repository with the SDK, and git clones, pushes and fetches it over both protocols", async () => {
    const created = await codecommit.send(
      new CreateRepositoryCommand({ repositoryName: "app", repositoryDescription: "the app" }),
    );
    const metadata = created.repositoryMetadata!;
    expect(metadata).toMatchObject({
      accountId: "000000000000",
      repositoryName: "app",
      repositoryDescription: "the app",
      cloneUrlHttp: `${server.endpoint}/v1/repos/app`,
      Arn: "arn:aws:codecommit:us-east-1:000000000000:app",
    });
    expect(metadata.cloneUrlSsh).toBeUndefined();
    expect(metadata.defaultBranch).toBeUndefined();
    expect(metadata.creationDate).toBeInstanceOf(Date);

    const work = cli.dir("app");
    const cloned = await cli.git(work, "clone", authed("app"), ".");
    expect(cloned.stderr).toContain("You appear to have cloned an empty repository");
    const first = await cli.commit(work, "first commit\n\nwith a body", { "README.md": "# app\n" });
    const second = await cli.commit(work, "second", { "src/index.js": "console.log(1)\n" });
    await cli.ok(work, "branch", "feature", first);
    await cli.ok(work, "tag", "-a", "-m", "release 1", "v1", first);
    await cli.ok(work, "push", "-q", "origin", "main", "feature", "v1");

    const repository = (await codecommit.send(new GetRepositoryCommand({ repositoryName: "app" })))
      .repositoryMetadata!;
    expect(repository.defaultBranch).toBe("main");
    expect(repository.lastModifiedDate!.getTime()).toBeGreaterThanOrEqual(
      metadata.lastModifiedDate!.getTime(),
    );
    const branch = await codecommit.send(
      new GetBranchCommand({ repositoryName: "app", branchName: "feature" }),
    );
    expect(branch.branch).toEqual({ branchName: "feature", commitId: first });
    expect((await codecommit.send(new ListBranchesCommand({ repositoryName: "app" }))).branches).toEqual([
      "feature",
      "main",
    ]);
    const { commit } = await codecommit.send(
      new GetCommitCommand({ repositoryName: "app", commitId: first }),
    );
    const logged = await cli.ok(work, "log", "-1", "--format=%T%n%an%n%ae%n%at %ai%n%cn", first);
    const [tree, name, email, dates, committer] = logged.split("\n");
    expect(commit).toEqual({
      commitId: first,
      treeId: tree,
      parents: [],
      message: "first commit\n\nwith a body",
      author: { name, email, date: `${dates!.split(" ")[0]} ${dates!.split(" ").at(-1)}` },
      committer: expect.objectContaining({ name: committer }),
      additionalData: "",
    });
    const child = await codecommit.send(new GetCommitCommand({ repositoryName: "app", commitId: second }));
    expect(child.commit?.parents).toEqual([first]);

    for (const version of ["0", "2"]) {
      const again = cli.dir(`app-v${version}`);
      const trace = await cli.gitWith(
        { GIT_TRACE_PACKET: "1" },
        again,
        "-c",
        `protocol.version=${version}`,
        "clone",
        "-q",
        authed("app"),
        ".",
      );
      expect(trace.code, trace.stderr).toBe(0);
      expect(trace.stderr.includes("< version 2"), `protocol v${version}`).toBe(version === "2");
      expect(await cli.ok(again, "rev-parse", "HEAD", "origin/feature", "v1^{commit}")).toBe(
        [await cli.ok(work, "rev-parse", "main"), first, first].join("\n"),
      );
      const next = await cli.commit(work, `after v${version}`, { "n.txt": version });
      await cli.ok(work, "push", "-q", "origin", "main");
      await cli.ok(again, "-c", `protocol.version=${version}`, "fetch", "-q", "origin");
      expect(await cli.ok(again, "rev-parse", "origin/main")).toBe(next);
    }
  });

  it.skipIf(!existsSync(AWS))("creates and reads a repository with the AWS CLI (/usr/bin/aws)", async () => {
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: server.dataDir,
      AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_PAGER: "",
      AWS_MAX_ATTEMPTS: "1",
    };
    const aws = async (...args: string[]) => {
      const { stdout } = await run(
        AWS,
        ["codecommit", ...args, "--endpoint-url", server.endpoint, "--output", "json"],
        {
          env,
        },
      );
      return JSON.parse(stdout);
    };
    const created = await aws("create-repository", "--repository-name", "cli-repo");
    expect(created.repositoryMetadata.cloneUrlHttp).toBe(`${server.endpoint}/v1/repos/cli-repo`);
    const got = await aws("get-repository", "--repository-name", "cli-repo");
    expect(got.repositoryMetadata.repositoryId).toBe(created.repositoryMetadata.repositoryId);
    const listed = await aws("list-repositories");
    expect(listed.repositories.map((r: { repositoryName: string }) => r.repositoryName)).toContain(
      "cli-repo",
    );
    const missing = await run(
      AWS,
      ["codecommit", "get-repository", "--repository-name", "nope", "--endpoint-url", server.endpoint],
      { env },
    ).catch((e: { stderr: string }) => e);
    expect((missing as { stderr: string }).stderr).toContain("RepositoryDoesNotExistException");
  });

  it("answers 401 with a Basic challenge to a missing or wrong password, and git fails cleanly", async () => {
    await codecommit.send(new CreateRepositoryCommand({ repositoryName: "locked" }));
    const path = "/v1/repos/locked/info/refs?service=git-upload-pack";
    const none = await rawRequest(server.endpoint, path);
    expect([none.status, none.headers["www-authenticate"]]).toEqual([
      401,
      'Basic realm="Pipewright", charset="UTF-8"',
    ]);
    const wrong = Buffer.from(`${KEYS.accessKeyId}:wrong`).toString("base64");
    expect((await rawRequest(server.endpoint, path, { authorization: `Basic ${wrong}` })).status).toBe(401);
    const right = Buffer.from(`${KEYS.accessKeyId}:${KEYS.secretAccessKey}`).toString("base64");
    expect((await rawRequest(server.endpoint, path, { authorization: `Basic ${right}` })).status).toBe(200);
    // Unauthenticated, an unknown repository looks like any other: 401, not 404.
    expect(
      (await rawRequest(server.endpoint, "/v1/repos/none/info/refs?service=git-upload-pack")).status,
    ).toBe(401);

    const dir = cli.dir("locked");
    const badUrl = cloneUrl(server.endpoint, "locked", { ...KEYS, secretAccessKey: "wrong" });
    const refused = await cli.git(dir, "clone", badUrl, "wrong");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Authentication failed|401/);
    const anonymous = await cli.git(dir, "clone", cloneUrl(server.endpoint, "locked"), "anonymous");
    expect(anonymous.code).not.toBe(0);
    await cli.ok(dir, "clone", "-q", authed("locked"), "right");
  });

  it("refuses path escapes, dumb HTTP and bad names before git runs, and creates nothing", async () => {
    const before = tree(server.dataDir);
    const auth = {
      authorization: `Basic ${Buffer.from(`${KEYS.accessKeyId}:${KEYS.secretAccessKey}`).toString("base64")}`,
    };
    const attempts: [string, number][] = [
      // The app routes by the WHATWG URL, which resolves `..` first: these two never even reach
      // the git front end (the app answers UnknownOperationException).
      ["/v1/repos/../x/info/refs?service=git-upload-pack", 400],
      ["/v1/repos/app/../../../etc/info/refs?service=git-upload-pack", 400],
      ["/v1/repos/%2e%2e/info/refs?service=git-upload-pack", 400],
      ["/v1/repos/%2E%2E/git-upload-pack", 400],
      ["/v1/repos/a%2Fb/info/refs?service=git-upload-pack", 400],
      ["/v1/repos/app%2Finfo%2Frefs?service=git-upload-pack", 404],
      ["/v1/repos/%2Ftmp%2Fx/info/refs?service=git-upload-pack", 400],
      ["/v1/repos//tmp/x/info/refs?service=git-upload-pack", 404],
      ["/v1/repos/app/HEAD", 404],
      ["/v1/repos/app/objects/info/packs", 404],
      ["/v1/repos/app/objects/00/0000000000000000000000000000000000000000", 404],
      ["/v1/repos/app/info/refs", 404],
      ["/v1/repos/app/config", 404],
      ["/v1/repos/does-not-exist/info/refs?service=git-upload-pack", 404],
    ];
    for (const [path, status] of attempts) {
      const answer = await rawRequest(server.endpoint, path, auth);
      expect([path, answer.status], answer.body).toEqual([path, status]);
      expect(answer.body).not.toMatch(/\bat \w|Error:/);
    }
    expect(
      (await rawRequest(server.endpoint, "/v1/repos/does-not-exist/info/refs?service=git-upload-pack", auth))
        .body,
    ).toBe("repository 'does-not-exist' does not exist\n");
    expect(tree(server.dataDir).filter((p) => !/pipewright\.db/.test(p))).toEqual(
      before.filter((p) => !/pipewright\.db/.test(p)),
    );
  });

  it("deletes a repository with its directory; deleting it again returns no id", async () => {
    const { repositoryMetadata } = await codecommit.send(
      new CreateRepositoryCommand({ repositoryName: "doomed" }),
    );
    const gitDir = join(server.dataDir, "repositories", `${repositoryMetadata!.repositoryId}.git`);
    expect(existsSync(join(gitDir, "HEAD"))).toBe(true);
    const deleted = await codecommit.send(new DeleteRepositoryCommand({ repositoryName: "doomed" }));
    expect(deleted.repositoryId).toBe(repositoryMetadata!.repositoryId);
    expect(existsSync(gitDir)).toBe(false);
    expect(
      (await codecommit.send(new DeleteRepositoryCommand({ repositoryName: "doomed" }))).repositoryId,
    ).toBeUndefined();
    const names = (await codecommit.send(new ListRepositoriesCommand({}))).repositories!.map(
      (r) => r.repositoryName,
    );
    expect(names).not.toContain("doomed");
    const gone = await codecommit
      .send(new GetRepositoryCommand({ repositoryName: "doomed" }))
      .catch((e) => e);
    expect(gone.name).toBe("RepositoryDoesNotExistException");
  });

  it("streams a push of 50 MB of incompressible data, and clones it back unchanged", {
    timeout: 180_000,
  }, async () => {
    await codecommit.send(new CreateRepositoryCommand({ repositoryName: "big" }));
    const work = cli.dir("big");
    await cli.ok(work, "init", "-q");
    writeFileSync(join(work, "random.bin"), randomBytes(50 * 1024 * 1024));
    const commit = await cli.commit(work, "50 MB of random bytes", {});
    await cli.ok(work, "remote", "add", "origin", authed("big"));
    const started = performance.now();
    await cli.ok(work, "push", "-q", "origin", "main");
    const pushed = performance.now();
    const back = cli.dir("big-clone");
    await cli.ok(back, "clone", "-q", authed("big"), ".");
    const cloned = performance.now();
    console.log(
      `git push of 50 MB: ${Math.round(pushed - started)} ms; clone back: ${Math.round(cloned - pushed)} ms`,
    );
    expect(await cli.ok(back, "rev-parse", "HEAD")).toBe(commit);
    expect(sha256(join(back, "random.bin"))).toBe(sha256(join(work, "random.bin")));
  });
});

describe("hosted git repositories without credentials (loopback only)", () => {
  let server: ServerProcess;
  let cli: GitCli;
  beforeAll(async () => {
    server = await startServerProcess();
    cli = createGitCli();
  });
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
    cli?.cleanup();
  });

  it("lets anyone on loopback create, push and clone", async () => {
    const response = await fetch(server.endpoint, {
      method: "POST",
      headers: {
        "x-amz-target": "CodeCommit_20150413.CreateRepository",
        "content-type": "application/x-amz-json-1.1",
      },
      body: JSON.stringify({ repositoryName: "open" }),
    });
    expect(response.status).toBe(200);
    const work = cli.dir("open");
    await cli.ok(work, "clone", "-q", cloneUrl(server.endpoint, "open"), ".");
    const commit = await cli.commit(work, "anonymous", { "a.txt": "a" });
    await cli.ok(work, "push", "-q", "origin", "main");
    expect(await cli.ok(work, "ls-remote", "origin", "main")).toBe(`${commit}\trefs/heads/main`);
  });

  it("serves a push while another client's push upload has stalled halfway", async () => {
    await fetch(server.endpoint, {
      method: "POST",
      headers: {
        "x-amz-target": "CodeCommit_20150413.CreateRepository",
        "content-type": "application/x-amz-json-1.1",
      },
      body: JSON.stringify({ repositoryName: "stalled" }),
    });
    const work = cli.dir("stalled");
    await cli.ok(work, "clone", "-q", cloneUrl(server.endpoint, "stalled"), ".");
    // A receive-pack request that promises 1 MB and sends half a command line, then holds its
    // connection: git would wait for the rest of the line.
    const { hostname, port } = new URL(server.endpoint);
    const stalled = connect(Number(port), hostname);
    await new Promise<void>((done) => stalled.once("connect", () => done()));
    stalled.write(
      "POST /v1/repos/stalled/git-receive-pack HTTP/1.1\r\nHost: x\r\n" +
        "Content-Type: application/x-git-receive-pack-request\r\nContent-Length: 1048576\r\n\r\n" +
        `0094${"0".repeat(40)} `,
    );
    // The request reached the server before the push starts.
    await new Promise((done) => setTimeout(done, 300));
    try {
      const commit = await cli.commit(work, "while another push stalls", { "b.txt": "b" });
      const started = performance.now();
      await cli.ok(work, "push", "-q", "origin", "main");
      const took = performance.now() - started;
      expect(await cli.ok(work, "ls-remote", "origin", "main")).toBe(`${commit}\trefs/heads/main`);
      // Git's own push takes tens of milliseconds here; behind the stalled upload it never ended.
      expect(took).toBeLessThan(15_000);
    } finally {
      stalled.destroy();
    }
  }, 30_000);
});
