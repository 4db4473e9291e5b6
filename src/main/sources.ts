import type { PushedRef } from "../engine/source-triggers.js";
import { archiveZip, createMirrors, changedFiles as gitChangedFiles, readCommit } from "../git/index.js";
import type { Logger } from "../lib/logger.js";
import type { FailureDetails } from "../model/failure.js";
import { createGitSourceProviders } from "../providers/git-source/git-source-provider.js";
import type {
  GitSourceLocation,
  GitSourceReader,
  SourceCommit,
} from "../providers/git-source/git-source-reader.js";
import {
  createS3SourceProvider,
  type SourceObjectReader,
} from "../providers/s3-source/s3-source-provider.js";
import type { ActionProvider } from "../providers/types.js";
import type { SourceDeps } from "../runtime/create-runtime.js";
import type { Connections } from "../runtime/sources/connections.js";
import type { RefUpdate, RepositoryRecord, Scope, Stores } from "../store/types.js";

export interface SourceWiring {
  readonly providers: ActionProvider[];
  readonly deps: Omit<SourceDeps, "pollIntervalMs">;
  /** Turns a hosted push's ref updates into what the trigger filters read (changed files included). */
  readonly pushedRefs: (repository: RepositoryRecord, updates: readonly RefUpdate[]) => Promise<PushedRef[]>;
}

/**
 * Adapts the stores and git to what the source providers and change detection need: hosted
 * repositories (RepositoryStore), repositories behind connections (local mirrors, fetched on
 * demand and by the poller), and S3 objects. The only place that knows both sides.
 */
export function wireSources(options: {
  stores: Stores;
  connections: Connections;
  /** Where mirrors of external repositories are kept. */
  mirrorDir: string;
  /** This server's own URL, for clone URLs of hosted repositories. */
  publicEndpoint: () => string;
  logger: Logger;
}): SourceWiring {
  const { stores, connections } = options;
  const mirrors = createMirrors(options.mirrorDir);

  /** A connection's repository: hosted (a record) or external (a URL). */
  async function locate(
    scope: Scope,
    location: GitSourceLocation,
  ): Promise<{ hosted: RepositoryRecord } | { url: string } | { failure: FailureDetails }> {
    if (location.kind === "hosted") {
      const record = await stores.repositories.get(scope, location.repositoryName);
      return record
        ? { hosted: record }
        : {
            failure: configuration(
              `Repository '${location.repositoryName}' does not exist in this account and region`,
            ),
          };
    }
    const connection = await connections.get(scope, location.connectionArn);
    if (!connection.ok) return { failure: configuration(connection.error.message) };
    if (connections.isHosted(connection.value)) {
      return locate(scope, {
        kind: "hosted",
        repositoryName: location.fullRepositoryId.split("/").at(-1) ?? "",
      });
    }
    try {
      const url = connections.repositoryUrl(connection.value, location.fullRepositoryId);
      return url ? { url } : { failure: configuration("The connection has no repository location") };
    } catch (error) {
      return { failure: configuration((error as Error).message) };
    }
  }

  async function gitDirOf(
    scope: Scope,
    location: GitSourceLocation,
    fetch: boolean,
  ): Promise<string | { failure: FailureDetails }> {
    const where = await locate(scope, location);
    if ("failure" in where) return where;
    if ("hosted" in where) return stores.repositories.gitDir(where.hosted);
    if (!fetch) return mirrors.dirOf(where.url);
    try {
      return (await mirrors.fetch(where.url)).dir;
    } catch (error) {
      return {
        failure: {
          type: "RevisionUnavailable",
          message: `Could not fetch ${where.url}: ${(error as Error).message}`,
        },
      };
    }
  }

  const reader: GitSourceReader = {
    async resolve(scope, location, revision) {
      const dir = await gitDirOf(scope, location, true);
      if (typeof dir !== "string") return { ok: false, failure: dir.failure };
      const wanted = "branch" in revision ? `refs/heads/${revision.branch}` : revision.commit;
      const commit = await readCommit(dir, wanted);
      if (!commit) {
        return {
          ok: false,
          failure: {
            type: "RevisionUnavailable",
            message:
              "branch" in revision
                ? `Branch '${revision.branch}' does not exist in the source repository (push it, or fix BranchName)`
                : `Commit '${revision.commit}' does not exist in the source repository`,
          },
        };
      }
      const out: SourceCommit = {
        commitId: commit.commitId,
        message: commit.message,
        authorDate: commit.author.date,
        committerDate: commit.committer.date,
      };
      return { ok: true, commit: out };
    },
    async *archive(scope, location, commit) {
      const dir = await gitDirOf(scope, location, false);
      if (typeof dir !== "string") throw new Error(dir.failure.message);
      yield* archiveZip(dir, commit);
    },
    async cloneUrl(scope, location) {
      const where = await locate(scope, location);
      if ("failure" in where) throw new Error(where.failure.message);
      return "hosted" in where ? `${options.publicEndpoint()}/v1/repos/${where.hosted.name}` : where.url;
    },
  };

  const objects: SourceObjectReader = {
    async head(bucket, key, versionId) {
      const v = await stores.objects.headObject(bucket, key, versionId);
      return v && !v.deleteMarker
        ? {
            versionId: v.versionId,
            etag: v.etag,
            size: v.size,
            lastModified: v.lastModified,
            metadata: v.metadata,
          }
        : undefined;
    },
    async *read(bucket, key, versionId) {
      const got = await stores.objects.getObject(bucket, key, { versionId });
      if (!got) throw new Error(`s3://${bucket}/${key} version ${versionId} vanished while it was read`);
      yield* got.body;
    },
  };

  async function pushedRefs(
    dir: string,
    updates: readonly { ref: string; oldCommit?: string; newCommit?: string }[],
  ): Promise<PushedRef[]> {
    const out: PushedRef[] = [];
    for (const u of updates) {
      if (!u.newCommit) {
        out.push({ ref: u.ref, changedFiles: [] });
        continue;
      }
      // A new ref: what its commit changed (against its first parent, if it has one).
      const from = u.oldCommit ?? (await readCommit(dir, u.newCommit))?.parents[0];
      out.push({
        ref: u.ref,
        commit: u.newCommit,
        changedFiles: await gitChangedFiles(dir, from, u.newCommit),
      });
    }
    return out;
  }

  return {
    providers: [...createGitSourceProviders(reader), createS3SourceProvider(objects)],
    pushedRefs: (repository, updates) => pushedRefs(stores.repositories.gitDir(repository), updates),
    deps: {
      heads: {
        async hostedBranch(scope, repositoryName, branch) {
          const record = await stores.repositories.get(scope, repositoryName);
          return record ? (await stores.repositories.refs(record)).get(`refs/heads/${branch}`) : undefined;
        },
        async objectVersion(bucket, key) {
          const v = await stores.objects.headObject(bucket, key);
          if (!v || v.deleteMarker) return undefined;
          // The S3 source action's revision: the version id, or the ETag in an unversioned bucket
          // (whose objects all have version "null", so a new upload would go unseen).
          return v.versionId === "null" ? v.etag.replace(/"/gu, "") : v.versionId;
        },
      },
      watched: {
        async changes(scope, connectionArn, fullRepositoryId) {
          const where = await locate(scope, { kind: "connection", connectionArn, fullRepositoryId });
          if (!("url" in where)) return undefined;
          try {
            const { dir, before, after } = await mirrors.fetch(where.url);
            if (before.size === 0) return []; // the first look only notes where things are
            const updates = [...new Set([...before.keys(), ...after.keys()])]
              .filter((ref) => before.get(ref) !== after.get(ref))
              .map((ref) => ({
                ref,
                ...(before.get(ref) ? { oldCommit: before.get(ref)! } : {}),
                ...(after.get(ref) ? { newCommit: after.get(ref)! } : {}),
              }));
            return pushedRefs(dir, updates);
          } catch (error) {
            options.logger.warn("could not fetch connection repository", {
              url: where.url,
              error: (error as Error).message,
            });
            return undefined;
          }
        },
      },
      async isHostedConnection(scope, connectionId) {
        const found = await stores.connections.get(scope, connectionId);
        return found !== undefined && connections.isHosted(found);
      },
    },
  };
}

function configuration(message: string): FailureDetails {
  return { type: "ConfigurationError", message };
}
