import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  BlobIdDoesNotExistException,
  BranchNameExistsException,
  CodeCommitClient,
  CreateBranchCommand,
  CreateCommitCommand,
  CreateRepositoryCommand,
  DefaultBranchCannotBeDeletedException,
  DeleteBranchCommand,
  GetBlobCommand,
  GetBranchCommand,
  GetDifferencesCommand,
  GetFileCommand,
  GetFolderCommand,
  ListBranchesCommand,
  ParentCommitIdOutdatedException,
  PutFileCommand,
  SameFileContentException,
} from "@aws-sdk/client-codecommit";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  ListPipelineExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

const AWS = "/usr/bin/aws";
const run = promisify(execFile);
const b64 = (text: string | Uint8Array) => Buffer.from(text).toString("base64");

/** CodeCommit's file operations on a real server, judged by the AWS CLI and the SDK. */
describe("CodeCommit files and commits (aws CLI, @aws-sdk/client-codecommit, real server)", () => {
  let server: ServerProcess;
  let cc: CodeCommitClient;
  let cp: CodePipelineClient;

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(AWS, [...args, "--endpoint-url", server.endpoint, "--output", "json"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: server.dataDir,
        AWS_ACCESS_KEY_ID: "x",
        AWS_SECRET_ACCESS_KEY: "y",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
    return stdout.trim() === "" ? {} : JSON.parse(stdout);
  }
  async function awsFails(...args: string[]): Promise<string> {
    try {
      await aws(...args);
    } catch (error) {
      return (error as { stderr: string }).stderr;
    }
    throw new Error(`aws ${args.join(" ")} succeeded`);
  }

  /** A pipeline whose CodeCommit source watches `branch` of `repository` (no polling), then a test action. */
  async function sourcePipeline(name: string, repository: string, branch: string) {
    await cp.send(
      new CreatePipelineCommand({
        pipeline: {
          name,
          roleArn: "arn:aws:iam::000000000000:role/pipeline",
          artifactStore: { type: "S3", location: `${name}-artifacts` },
          stages: [
            {
              name: "Source",
              actions: [
                {
                  name: "Source",
                  actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
                  configuration: {
                    RepositoryName: repository,
                    BranchName: branch,
                    PollForSourceChanges: "false",
                  },
                  outputArtifacts: [{ name: "Code" }],
                },
              ],
            },
            {
              name: "Build",
              actions: [
                {
                  name: "Build",
                  actionTypeId: { category: "Build", owner: "AWS", provider: "PipewrightTest", version: "1" },
                  configuration: {},
                  inputArtifacts: [{ name: "Code" }],
                },
              ],
            },
          ],
        },
      }),
    );
  }
  const executions = async (pipelineName: string) =>
    (await cp.send(new ListPipelineExecutionsCommand({ pipelineName }))).pipelineExecutionSummaries ?? [];

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_TEST_PROVIDERS: "1",
        PIPEWRIGHT_START_ON_CREATE: "false",
        PIPEWRIGHT_POLL_INTERVAL_MS: "50",
      },
    });
    const client = {
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
      maxAttempts: 1,
    };
    cc = new CodeCommitClient(client);
    cp = new CodePipelineClient(client);
  }, 60_000);
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("aws codecommit create-commit, get-file, get-folder, get-differences and get-branch", async () => {
    await aws("codecommit", "create-repository", "--repository-name", "cli");
    const first = await aws(
      "codecommit",
      "create-commit",
      "--cli-input-json",
      JSON.stringify({
        repositoryName: "cli",
        branchName: "main",
        authorName: "Jane",
        email: "jane@example.com",
        commitMessage: "first",
        putFiles: [
          { filePath: "README.md", fileContent: b64("hello from the CLI\n") },
          { filePath: "scripts/run.sh", fileContent: b64("#!/bin/sh\n"), fileMode: "EXECUTABLE" },
        ],
      }),
    );
    expect(first.commitId).toMatch(/^[0-9a-f]{40}$/u);
    const file = await aws("codecommit", "get-file", "--repository-name", "cli", "--file-path", "README.md");
    expect(file).toMatchObject({
      commitId: first.commitId,
      filePath: "README.md",
      fileMode: "NORMAL",
      fileSize: 19,
    });
    expect(Buffer.from(file.fileContent as string, "base64").toString()).toBe("hello from the CLI\n");
    const folder = await aws("codecommit", "get-folder", "--repository-name", "cli", "--folder-path", "/");
    expect(folder).toMatchObject({
      folderPath: "/",
      files: [{ absolutePath: "README.md", relativePath: "README.md", fileMode: "NORMAL" }],
      subFolders: [{ absolutePath: "scripts", relativePath: "scripts" }],
    });
    const second = await aws(
      "codecommit",
      "create-commit",
      "--repository-name",
      "cli",
      "--branch-name",
      "main",
      "--parent-commit-id",
      first.commitId as string,
      "--delete-files",
      "filePath=scripts/run.sh",
    );
    expect(second.filesDeleted).toEqual([
      { absolutePath: "scripts/run.sh", blobId: expect.any(String), fileMode: "EXECUTABLE" },
    ]);
    const differences = await aws(
      "codecommit",
      "get-differences",
      "--repository-name",
      "cli",
      "--before-commit-specifier",
      first.commitId as string,
      "--after-commit-specifier",
      "main",
    );
    expect(differences.differences).toEqual([
      { beforeBlob: { blobId: expect.any(String), path: "scripts/run.sh", mode: "100755" }, changeType: "D" },
    ]);
    expect(
      await aws("codecommit", "get-branch", "--repository-name", "cli", "--branch-name", "main"),
    ).toEqual({
      branch: { branchName: "main", commitId: second.commitId },
    });
    expect(await aws("codecommit", "list-branches", "--repository-name", "cli")).toEqual({
      branches: ["main"],
    });
    // A stale parent, a missing file and a path out of the tree: AWS's exceptions, printed by the CLI.
    expect(
      await awsFails(
        "codecommit",
        "create-commit",
        "--repository-name",
        "cli",
        "--branch-name",
        "main",
        "--parent-commit-id",
        first.commitId as string,
        "--delete-files",
        "filePath=README.md",
      ),
    ).toMatch(
      /\(ParentCommitIdOutdatedException\) when calling the CreateCommit operation: The parent commit ID is not the most recent/u,
    );
    expect(
      await awsFails("codecommit", "get-file", "--repository-name", "cli", "--file-path", "nope.md"),
    ).toMatch(/\(FileDoesNotExistException\) when calling the GetFile operation/u);
    expect(
      await awsFails("codecommit", "get-file", "--repository-name", "cli", "--file-path", "../../etc/passwd"),
    ).toMatch(/\(InvalidPathException\) when calling the GetFile operation/u);
  }, 60_000);

  it("the SDK writes and reads binary files exactly, and sees ParentCommitIdOutdatedException as its own error class", async () => {
    await cc.send(new CreateRepositoryCommand({ repositoryName: "sdk" }));
    const bytes = new Uint8Array(256).map((_, i) => i);
    const first = await cc.send(
      new CreateCommitCommand({
        repositoryName: "sdk",
        branchName: "main",
        putFiles: [
          { filePath: "bin/all-bytes", fileContent: bytes },
          { filePath: "link", fileContent: new TextEncoder().encode("bin/all-bytes"), fileMode: "SYMLINK" },
        ],
      }),
    );
    const file = await cc.send(new GetFileCommand({ repositoryName: "sdk", filePath: "/bin/all-bytes" }));
    expect(file.fileContent).toEqual(bytes);
    expect(file.fileSize).toBe(256);
    const root = await cc.send(new GetFolderCommand({ repositoryName: "sdk", folderPath: "/" }));
    expect(root.symbolicLinks).toEqual([
      { blobId: expect.any(String), absolutePath: "link", relativePath: "link", fileMode: "SYMLINK" },
    ]);
    await cc.send(
      new CreateCommitCommand({
        repositoryName: "sdk",
        branchName: "main",
        parentCommitId: first.commitId,
        putFiles: [{ filePath: "bin/all-bytes", fileContent: bytes.slice(1) }],
      }),
    );
    const stale = cc.send(
      new CreateCommitCommand({
        repositoryName: "sdk",
        branchName: "main",
        parentCommitId: first.commitId,
        putFiles: [{ filePath: "x", fileContent: bytes }],
      }),
    );
    await expect(stale).rejects.toBeInstanceOf(ParentCommitIdOutdatedException);
    const diff = await cc.send(
      new GetDifferencesCommand({
        repositoryName: "sdk",
        beforeCommitSpecifier: first.commitId,
        afterCommitSpecifier: "main",
      }),
    );
    expect(diff.differences?.map((d) => [d.changeType, d.afterBlob?.path])).toEqual([["M", "bin/all-bytes"]]);
  }, 60_000);

  it("a commit made with CreateCommit starts the pipeline its branch triggers, as a git push does", async () => {
    await cc.send(new CreateRepositoryCommand({ repositoryName: "piped" }));
    await sourcePipeline("piped", "piped", "main");
    const commit = await cc.send(
      new CreateCommitCommand({
        repositoryName: "piped",
        branchName: "main",
        putFiles: [{ filePath: "README.md", fileContent: new TextEncoder().encode("go\n") }],
      }),
    );
    // The execution exists when CreateCommit returns (the push listener ran before the answer).
    const started = await cp.send(new ListPipelineExecutionsCommand({ pipelineName: "piped" }));
    expect(started.pipelineExecutionSummaries).toHaveLength(1);
    expect(started.pipelineExecutionSummaries?.[0]?.trigger?.triggerType).toBe("CloudWatchEvent");
    // Its source action then reads exactly that commit.
    const deadline = Date.now() + 15_000;
    let revision: string | undefined;
    while (revision === undefined && Date.now() < deadline) {
      const listed = await cp.send(new ListPipelineExecutionsCommand({ pipelineName: "piped" }));
      revision = listed.pipelineExecutionSummaries?.[0]?.sourceRevisions?.[0]?.revisionId;
      if (revision === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(revision).toBe(commit.commitId);
  }, 60_000);

  it("PutFile, DeleteFile and GetBlob, then CreateBranch (which starts the branch's pipeline), UpdateDefaultBranch and DeleteBranch", async () => {
    await aws("codecommit", "create-repository", "--repository-name", "branches");
    await sourcePipeline("release", "branches", "release");
    // PutFile makes the first commit of an empty repository; the CLI takes the content from a file.
    const first = (await cc.send(
      new PutFileCommand({
        repositoryName: "branches",
        branchName: "main",
        filePath: "/app/VERSION",
        fileContent: new TextEncoder().encode("1.0.0\n"),
        name: "Jane",
        email: "jane@example.com",
      }),
    )) as { commitId: string; blobId: string; treeId: string };
    expect(first.commitId).toMatch(/^[0-9a-f]{40}$/u);
    const blob = await cc.send(new GetBlobCommand({ repositoryName: "branches", blobId: first.blobId }));
    expect(new TextDecoder().decode(blob.content)).toBe("1.0.0\n");
    const cliBlob = await aws(
      "codecommit",
      "get-blob",
      "--repository-name",
      "branches",
      "--blob-id",
      first.blobId,
    );
    expect(Buffer.from(cliBlob.content as string, "base64").toString()).toBe("1.0.0\n");
    await expect(
      cc.send(
        new PutFileCommand({
          repositoryName: "branches",
          branchName: "main",
          parentCommitId: first.commitId,
          filePath: "app/VERSION",
          fileContent: new TextEncoder().encode("1.0.0\n"),
        }),
      ),
    ).rejects.toBeInstanceOf(SameFileContentException);
    const second = await cc.send(
      new PutFileCommand({
        repositoryName: "branches",
        branchName: "main",
        parentCommitId: first.commitId,
        filePath: "app/NOTES",
        fileContent: new TextEncoder().encode("notes\n"),
        commitMessage: "add notes",
      }),
    );
    const commit = await aws(
      "codecommit",
      "get-commit",
      "--repository-name",
      "branches",
      "--commit-id",
      second.commitId!,
    );
    expect(commit.commit).toMatchObject({ message: "add notes", parents: [first.commitId] });
    const deleted = await aws(
      "codecommit",
      "delete-file",
      "--repository-name",
      "branches",
      "--branch-name",
      "main",
      "--file-path",
      "app/NOTES",
      "--parent-commit-id",
      second.commitId!,
    );
    expect(deleted).toMatchObject({ filePath: "app/NOTES", treeId: first.treeId });
    expect(
      await awsFails(
        "codecommit",
        "delete-file",
        "--repository-name",
        "branches",
        "--branch-name",
        "main",
        "--file-path",
        "app/NOTES",
        "--parent-commit-id",
        deleted.commitId as string,
      ),
    ).toContain("FileDoesNotExistException");
    await expect(
      cc.send(new GetBlobCommand({ repositoryName: "branches", blobId: "0".repeat(40) })),
    ).rejects.toBeInstanceOf(BlobIdDoesNotExistException);

    // A created branch starts the pipeline that watches it, before CreateBranch answers.
    expect(await executions("release")).toHaveLength(0);
    await aws(
      "codecommit",
      "create-branch",
      "--repository-name",
      "branches",
      "--branch-name",
      "release",
      "--commit-id",
      first.commitId,
    );
    const started = await executions("release");
    expect(started).toHaveLength(1);
    expect(started[0]?.trigger?.triggerType).toBe("CloudWatchEvent");
    await expect(
      cc.send(
        new CreateBranchCommand({
          repositoryName: "branches",
          branchName: "release",
          commitId: first.commitId,
        }),
      ),
    ).rejects.toBeInstanceOf(BranchNameExistsException);
    expect(
      await awsFails(
        "codecommit",
        "create-branch",
        "--repository-name",
        "branches",
        "--branch-name",
        "x",
        "--commit-id",
        "f".repeat(40),
      ),
    ).toContain("CommitDoesNotExistException");
    const got = await cc.send(new GetBranchCommand({ repositoryName: "branches", branchName: "release" }));
    expect(got.branch?.commitId).toBe(first.commitId);

    // The default branch cannot be deleted until another one is the default.
    await expect(
      cc.send(new DeleteBranchCommand({ repositoryName: "branches", branchName: "main" })),
    ).rejects.toBeInstanceOf(DefaultBranchCannotBeDeletedException);
    await aws(
      "codecommit",
      "update-default-branch",
      "--repository-name",
      "branches",
      "--default-branch-name",
      "release",
    );
    const repo = await aws("codecommit", "get-repository", "--repository-name", "branches");
    expect((repo.repositoryMetadata as { defaultBranch: string }).defaultBranch).toBe("release");
    const gone = await cc.send(new DeleteBranchCommand({ repositoryName: "branches", branchName: "main" }));
    expect(gone.deletedBranch).toEqual({ branchName: "main", commitId: deleted.commitId });
    expect(
      (await cc.send(new DeleteBranchCommand({ repositoryName: "branches", branchName: "main" })))
        .deletedBranch,
    ).toBeUndefined();
    expect((await cc.send(new ListBranchesCommand({ repositoryName: "branches" }))).branches).toEqual([
      "release",
    ]);
    // git sees the same: HEAD is the new default branch.
    const { stdout } = await run("git", [
      "ls-remote",
      "--symref",
      `${server.endpoint}/v1/repos/branches`,
      "HEAD",
    ]);
    expect(stdout).toContain("ref: refs/heads/release\tHEAD");
  }, 60_000);
});
