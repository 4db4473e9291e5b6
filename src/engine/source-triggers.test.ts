import { describe, expect, it } from "vitest";
import type { ActionDeclaration, PipelineTriggerDeclaration } from "../model/declaration.js";
import { connectionIdOf, matchSourceEvent, polledSources, type SourceEvent } from "./source-triggers.js";
import { action, pipelineOf } from "./testing/builders.js";

const CONN = "arn:aws:codeconnections:us-east-1:123456789012:connection/0f3c3a6e-1111-4222-8333-444455556666";
const connId = "0f3c3a6e-1111-4222-8333-444455556666";

function source(provider: string, configuration: Record<string, string>): ActionDeclaration {
  return {
    ...action("Src", "Source"),
    actionTypeId: { category: "Source", owner: "AWS", provider, version: "1" },
    configuration,
  };
}
const planWith = (src: ActionDeclaration, triggers: PipelineTriggerDeclaration[] = []) =>
  pipelineOf(
    [
      { name: "Source", actions: [src] },
      { name: "Build", actions: [action("B")] },
    ],
    { triggers, pipelineType: "V2" },
  );

const push = (refs: { ref: string; commit?: string; files?: string[] }[]): SourceEvent => ({
  kind: "gitPush",
  source: { provider: "CodeStarSourceConnection", connectionId: connId, fullRepositoryId: "org/app" },
  refs: refs.map((r) => ({
    ref: r.ref,
    ...(r.commit ? { commit: r.commit } : {}),
    changedFiles: r.files ?? [],
  })),
});

describe("which source events start a pipeline", () => {
  it("reads connection ids from both ARN services", () => {
    expect(connectionIdOf(CONN)).toBe(connId);
    expect(connectionIdOf(CONN.replace("codeconnections", "codestar-connections"))).toBe(connId);
    expect(connectionIdOf("arn:aws:s3:::bucket")).toBeUndefined();
  });

  it("CodeCommit: a push to the branch starts it when PollForSourceChanges is false, with the pushed commit", () => {
    const plan = planWith(
      source("CodeCommit", { RepositoryName: "app", BranchName: "main", PollForSourceChanges: "false" }),
    );
    const event: SourceEvent = {
      kind: "gitPush",
      source: { provider: "CodeCommit", repositoryName: "app" },
      refs: [
        { ref: "refs/heads/dev", commit: "d1", changedFiles: [] },
        { ref: "refs/heads/main", commit: "m1", changedFiles: [] },
      ],
    };
    expect(matchSourceEvent(plan, event)).toEqual({
      actionName: "Src",
      triggerType: "CloudWatchEvent",
      revision: { actionName: "Src", revisionType: "COMMIT_ID", revisionValue: "m1" },
    });
    expect(matchSourceEvent(plan, { ...event, refs: [event.refs[0]!] })).toBeUndefined();
    expect(
      matchSourceEvent(plan, { ...event, source: { provider: "CodeCommit", repositoryName: "other" } }),
    ).toBeUndefined();
  });

  it("CodeCommit with polling (AWS's default) leaves the push to the poller", () => {
    const plan = planWith(source("CodeCommit", { RepositoryName: "app", BranchName: "main" }));
    expect(
      matchSourceEvent(plan, {
        kind: "gitPush",
        source: { provider: "CodeCommit", repositoryName: "app" },
        refs: [{ ref: "refs/heads/main", commit: "m", changedFiles: [] }],
      }),
    ).toBeUndefined();
    expect(polledSources(plan)).toEqual([
      { actionName: "Src", kind: "CodeCommit", repositoryName: "app", branch: "main" },
    ]);
  });

  it("a connection without triggers starts on pushes to its branch unless DetectChanges is false", () => {
    const config = { ConnectionArn: CONN, FullRepositoryId: "org/app", BranchName: "main" };
    expect(
      matchSourceEvent(
        planWith(source("CodeStarSourceConnection", config)),
        push([{ ref: "refs/heads/main", commit: "c" }]),
      )?.triggerType,
    ).toBe("WebhookV2");
    expect(
      matchSourceEvent(
        planWith(source("CodeStarSourceConnection", { ...config, DetectChanges: "false" })),
        push([{ ref: "refs/heads/main", commit: "c" }]),
      ),
    ).toBeUndefined();
  });

  it("V2 triggers replace the default: branch, tag and filePaths filters with excludes winning", () => {
    const src = source("CodeStarSourceConnection", {
      ConnectionArn: CONN,
      FullRepositoryId: "org/app",
      BranchName: "main",
    });
    const plan = planWith(src, [
      {
        providerType: "CodeStarSourceConnection",
        gitConfiguration: {
          sourceActionName: "Src",
          push: [
            {
              branches: { includes: ["release/**"], excludes: ["release/old"] },
              filePaths: { includes: ["src/**"], excludes: ["**/*.md"] },
            },
            { tags: { includes: ["v*"] } },
          ],
        },
      },
    ]);
    const start = (refs: Parameters<typeof push>[0]) =>
      matchSourceEvent(plan, push(refs))?.revision.revisionValue;
    expect(start([{ ref: "refs/heads/main", commit: "a", files: ["src/x.ts"] }])).toBeUndefined();
    expect(start([{ ref: "refs/heads/release/1", commit: "b", files: ["src/x.ts"] }])).toBe("b");
    expect(
      start([{ ref: "refs/heads/release/1", commit: "c", files: ["src/docs/readme.md"] }]),
    ).toBeUndefined();
    expect(start([{ ref: "refs/heads/release/old", commit: "d", files: ["src/x.ts"] }])).toBeUndefined();
    expect(start([{ ref: "refs/tags/v1.2", commit: "e" }])).toBe("e");
    expect(start([{ ref: "refs/tags/x1.2", commit: "f" }])).toBeUndefined();
    expect(start([{ ref: "refs/heads/release/2" }])).toBeUndefined();
  });

  it("S3: an upload of the watched key starts it with the new version when PollForSourceChanges is false", () => {
    const plan = planWith(
      source("S3", { S3Bucket: "code", S3ObjectKey: "app.zip", PollForSourceChanges: "false" }),
    );
    expect(
      matchSourceEvent(plan, { kind: "objectCreated", bucket: "code", key: "app.zip", versionId: "v7" })
        ?.revision,
    ).toEqual({
      actionName: "Src",
      revisionType: "S3_OBJECT_VERSION_ID",
      revisionValue: "v7",
    });
    expect(
      matchSourceEvent(plan, { kind: "objectCreated", bucket: "code", key: "other.zip", versionId: "v7" }),
    ).toBeUndefined();
  });
});
