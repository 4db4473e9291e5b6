import type { ActionOutcome } from "../../engine/outcome.js";
import type { ActionTypeId } from "../../model/declaration.js";
import type { ActionContext, ActionProvider } from "../types.js";
import type { GitSourceLocation, GitSourceReader, SourceCommit } from "./git-source-reader.js";

/** The action types these providers run: hosted repositories, and repositories behind connections. */
export const CODECOMMIT_ACTION_TYPE: ActionTypeId = {
  category: "Source",
  owner: "AWS",
  provider: "CodeCommit",
  version: "1",
};
export const CONNECTION_SOURCE_ACTION_TYPE: ActionTypeId = {
  category: "Source",
  owner: "AWS",
  provider: "CodeStarSourceConnection",
  version: "1",
};

/** AWS caps CommitMessage output variables at 100 KB (spec §6.2). */
const MAX_MESSAGE_BYTES = 100 * 1024;

/**
 * Source/AWS/CodeCommit (a repository hosted by Pipewright) and
 * Source/AWS/CodeStarSourceConnection (a repository behind a connection): resolve the revision
 * (the triggering commit, a sourceRevisions override, or the branch head), write the output
 * artifact, and report the commit as output variables and as the artifact's revision.
 *
 * OutputArtifactFormat CODE_ZIP (the default) is a zip of the tree without `.git`, as in AWS.
 * CODEBUILD_CLONE_REF is a small JSON reference (docs/sources.md) from which a CodeBuild action
 * clones the repository with its full history, so `git describe` and friends work in builds:
 * Pipewright accepts it for every git source, hosted or not.
 */
export function createGitSourceProviders(reader: GitSourceReader): ActionProvider[] {
  async function run(
    ctx: ActionContext,
    location: GitSourceLocation,
    variables: (commit: SourceCommit) => Record<string, string>,
  ): Promise<ActionOutcome> {
    const c = ctx.configuration;
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const override = ctx.job.sourceRevision;
    if (override && override.revisionType !== "COMMIT_ID") {
      return failed(
        "ConfigurationError",
        `sourceRevisions type ${override.revisionType} does not apply to a git source; use COMMIT_ID`,
      );
    }
    const resolved = await reader.resolve(
      scope,
      location,
      override ? { commit: override.revisionValue } : { branch: c.BranchName ?? "" },
    );
    if (!resolved.ok) return { kind: "failed", failure: resolved.failure };
    const commit = resolved.commit;
    const output = ctx.outputArtifacts[0];
    if (output) {
      if (c.OutputArtifactFormat === "CODEBUILD_CLONE_REF") {
        const ref = {
          type: "CODEBUILD_CLONE_REF",
          cloneUrl: await reader.cloneUrl(scope, location),
          branch: c.BranchName,
          commitId: commit.commitId,
        };
        await ctx.artifacts.write(
          output,
          new TextEncoder().encode(`${JSON.stringify(ref, null, 2)}\n`),
          "application/json",
        );
      } else {
        await ctx.artifacts.write(
          output,
          reader.archive(scope, location, commit.commitId),
          "application/zip",
        );
      }
    }
    return {
      kind: "succeeded",
      outputVariables: variables(commit),
      summary: firstLine(commit.message),
      currentRevision: {
        revision: commit.commitId,
        changeIdentifier: commit.commitId,
        created: commit.committerDate,
        revisionSummary: commit.message.slice(0, 2048) || commit.commitId,
      },
    };
  }

  const base = (commit: SourceCommit, branch: string | undefined) => ({
    CommitId: commit.commitId,
    CommitMessage: truncate(commit.message, MAX_MESSAGE_BYTES),
    AuthorDate: isoSeconds(commit.authorDate),
    ...(branch ? { BranchName: branch } : {}),
  });

  return [
    {
      actionTypeIds: [CODECOMMIT_ACTION_TYPE],
      start: (ctx) =>
        run(ctx, { kind: "hosted", repositoryName: ctx.configuration.RepositoryName ?? "" }, (commit) => ({
          ...base(commit, ctx.configuration.BranchName),
          RepositoryName: ctx.configuration.RepositoryName ?? "",
          CommitterDate: isoSeconds(commit.committerDate),
        })),
    },
    {
      actionTypeIds: [CONNECTION_SOURCE_ACTION_TYPE],
      start: (ctx) =>
        run(
          ctx,
          {
            kind: "connection",
            connectionArn: ctx.configuration.ConnectionArn ?? "",
            fullRepositoryId: ctx.configuration.FullRepositoryId ?? "",
          },
          (commit) => ({
            ...base(commit, ctx.configuration.BranchName),
            ConnectionArn: ctx.configuration.ConnectionArn ?? "",
            FullRepositoryName: ctx.configuration.FullRepositoryId ?? "",
          }),
        ),
    },
  ];
}

function failed(type: "ConfigurationError" | "RevisionUnavailable", message: string): ActionOutcome {
  return { kind: "failed", failure: { type, message } };
}

/** AWS's date variables: `2019-10-29T03:32:21Z`. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/u, "Z");
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? "").slice(0, 200);
}

function truncate(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  return bytes.length <= maxBytes
    ? text
    : new TextDecoder().decode(bytes.slice(0, maxBytes)).replace(/\uFFFD$/u, "");
}
