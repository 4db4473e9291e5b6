import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Debian's awscli is the judge of wire compatibility; .ci/run installs it.
const AWS = "/usr/bin/aws";
const run = promisify(execFile);
const haveCli = existsSync(AWS);
const fixture = join(repoRoot, "test", "fixtures", "pipelines", "basic-v1.json");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: CLI output is read member by member.
  json: Record<string, unknown> & { [key: string]: any };
}

describe.skipIf(!haveCli)(
  "the AWS CLI (/usr/bin/aws) against a real server process",
  { timeout: 120_000 },
  () => {
    let server: ServerProcess;

    async function aws(args: string[], region = "us-east-1"): Promise<CliResult> {
      const env = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: server.dataDir,
        AWS_ACCESS_KEY_ID: "AKIDTEST",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_DEFAULT_REGION: region,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
        AWS_MAX_ATTEMPTS: "1",
      };
      try {
        const { stdout, stderr } = await run(
          AWS,
          ["codepipeline", ...args, "--endpoint-url", server.endpoint, "--output", "json"],
          { env },
        );
        return { code: 0, stdout, stderr, json: stdout.trim() ? JSON.parse(stdout) : {} };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr, json: {} };
      }
    }

    function withName(name: string): string {
      const doc = JSON.parse(readFileSync(fixture, "utf8"));
      doc.pipeline.name = name;
      const path = join(server.dataDir, `${name}.json`);
      writeFileSync(path, JSON.stringify(doc));
      return path;
    }

    beforeAll(async () => {
      server = await startServerProcess();
    });
    afterAll(async () => {
      await server.kill();
      removeDir(server.dataDir);
    });

    it("creates, reads, updates, lists, tags and deletes a pipeline as AWS does", async () => {
      const created = await aws(["create-pipeline", "--cli-input-json", `file://${withName("cli-app")}`]);
      expect(created.stderr).toBe("");
      expect(created.json.pipeline.version).toBe(1);
      expect(created.json.pipeline.stages[1].actions[0].runOrder).toBe(1);
      expect(created.json.pipeline.stages[0].actions[0].inputArtifacts).toEqual([]);
      expect(created.json.tags).toEqual([{ key: "team", value: "platform" }]);

      const got = await aws(["get-pipeline", "--name", "cli-app"]);
      expect(got.json.pipeline.version).toBe(1);
      expect(got.json.metadata.pipelineArn).toBe("arn:aws:codepipeline:us-east-1:000000000000:cli-app");
      const created1 = Date.parse(got.json.metadata.created);
      expect(Number.isNaN(created1)).toBe(false);

      await new Promise((r) => setTimeout(r, 1100));
      const doc = JSON.parse(readFileSync(withName("cli-app"), "utf8"));
      doc.pipeline.stages[1].actions[0].configuration.ProjectName = "app-build-v2";
      const updatePath = join(server.dataDir, "update.json");
      writeFileSync(updatePath, JSON.stringify({ pipeline: doc.pipeline }));
      const updated = await aws(["update-pipeline", "--cli-input-json", `file://${updatePath}`]);
      expect(updated.json.pipeline.version).toBe(2);

      const got2 = await aws(["get-pipeline", "--name", "cli-app"]);
      expect(got2.json.pipeline.stages[1].actions[0].configuration.ProjectName).toBe("app-build-v2");
      expect(Date.parse(got2.json.metadata.created)).toBe(created1);
      expect(Date.parse(got2.json.metadata.updated)).toBeGreaterThan(created1);
      const v1 = await aws(["get-pipeline", "--name", "cli-app", "--pipeline-version", "1"]);
      expect(v1.json.pipeline.stages[1].actions[0].configuration.ProjectName).toBe("app-build");
      const v9 = await aws(["get-pipeline", "--name", "cli-app", "--pipeline-version", "9"]);
      expect(v9.code).not.toBe(0);
      expect(v9.stderr).toContain("PipelineVersionNotFoundException");

      const arn = got.json.metadata.pipelineArn;
      await aws([
        "tag-resource",
        "--resource-arn",
        arn,
        "--tags",
        "key=env,value=dev",
        "key=team,value=core",
      ]);
      let tags = await aws(["list-tags-for-resource", "--resource-arn", arn]);
      expect(tags.json.tags).toEqual([
        { key: "env", value: "dev" },
        { key: "team", value: "core" },
      ]);
      await aws(["untag-resource", "--resource-arn", arn, "--tag-keys", "env", "absent"]);
      tags = await aws(["list-tags-for-resource", "--resource-arn", arn]);
      expect(tags.json.tags).toEqual([{ key: "team", value: "core" }]);
      const systemTag = await aws(["tag-resource", "--resource-arn", arn, "--tags", "key=aws:x,value=1"]);
      expect(systemTag.stderr).toContain("InvalidTagsException");

      expect((await aws(["delete-pipeline", "--name", "cli-app"])).code).toBe(0);
      expect((await aws(["delete-pipeline", "--name", "cli-app"])).code).toBe(0);
      const gone = await aws(["get-pipeline", "--name", "cli-app"]);
      expect(gone.stderr).toContain("PipelineNotFoundException");
      expect(gone.stderr).toContain("Account '000000000000' does not have a pipeline with name 'cli-app'");
    });

    it("lists pipelines in name order, page by page, and per region", async () => {
      for (const name of ["list-c", "list-a", "list-b"]) {
        expect((await aws(["create-pipeline", "--cli-input-json", `file://${withName(name)}`])).code).toBe(0);
      }
      const all = await aws(["list-pipelines"]);
      const names = all.json.pipelines.map((p: { name: string }) => p.name);
      expect(names).toEqual(["list-a", "list-b", "list-c"]);
      const page1 = await aws(["list-pipelines", "--max-results", "2", "--no-paginate"]);
      expect(page1.json.pipelines.map((p: { name: string }) => p.name)).toEqual(["list-a", "list-b"]);
      expect(typeof page1.json.nextToken).toBe("string");
      const page2 = await aws([
        "list-pipelines",
        "--max-results",
        "2",
        "--no-paginate",
        "--next-token",
        page1.json.nextToken,
      ]);
      expect(page2.json.pipelines.map((p: { name: string }) => p.name)).toEqual(["list-c"]);
      expect(page2.json.nextToken).toBeUndefined();
      const bad = await aws(["list-pipelines", "--no-paginate", "--next-token", "forged"]);
      expect(bad.stderr).toContain("InvalidNextTokenException");

      const west = await aws(["list-pipelines"], "us-west-2");
      expect(west.json.pipelines).toEqual([]);
    });

    it("answers tag operations on a missing pipeline with ResourceNotFoundException and AWS's message", async () => {
      const result = await aws([
        "list-tags-for-resource",
        "--resource-arn",
        "arn:aws:codepipeline:us-east-1:000000000000:nothing-here",
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("ResourceNotFoundException");
      expect(result.stderr).toContain(
        "The account with id '000000000000' does not include a pipeline with the name 'nothing-here'",
      );
    });

    it("reports an invalid declaration with AWS's exception type and message", async () => {
      const path = join(repoRoot, "test", "fixtures", "pipelines", "invalid-one-stage.json");
      const result = await aws(["create-pipeline", "--cli-input-json", `file://${path}`]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("InvalidStructureException");
      expect(result.stderr).toContain(
        "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline",
      );
    });

    it("registers a custom action type and lists it by owner", async () => {
      const created = await aws([
        "create-custom-action-type",
        "--category",
        "Build",
        "--provider",
        "MyJenkins",
        "--action-version",
        "1",
        "--configuration-properties",
        "name=ProjectName,required=true,key=true,secret=false,queryable=true",
        "--input-artifact-details",
        "minimumCount=0,maximumCount=1",
        "--output-artifact-details",
        "minimumCount=0,maximumCount=1",
      ]);
      expect(created.stderr).toBe("");
      expect(created.json.actionType.id).toEqual({
        category: "Build",
        owner: "Custom",
        provider: "MyJenkins",
        version: "1",
      });
      const listed = await aws(["list-action-types", "--action-owner-filter", "Custom"]);
      expect(listed.json.actionTypes.map((t: { id: { provider: string } }) => t.id.provider)).toEqual([
        "MyJenkins",
      ]);
      const builtin = await aws(["list-action-types", "--action-owner-filter", "AWS"]);
      expect(builtin.json.actionTypes.length).toBeGreaterThan(15);
      const deleted = await aws([
        "delete-custom-action-type",
        "--category",
        "Build",
        "--provider",
        "MyJenkins",
        "--action-version",
        "1",
      ]);
      expect(deleted.code).toBe(0);
      const after = await aws(["list-action-types", "--action-owner-filter", "Custom"]);
      expect(after.json.actionTypes).toEqual([]);
    });
  },
);
