import type { CommitInfo, GitIdentity, RepositoryRecord } from "../../store/types.js";
import { epochSeconds } from "../pagination.js";

export function repositoryArn(record: RepositoryRecord): string {
  return `arn:aws:codecommit:${record.scope.region}:${record.scope.accountId}:${record.name}`;
}

/**
 * RepositoryMetadata as CodeCommit answers it. `cloneUrlHttp` is built from the origin the
 * client reached this server by (so it works through whatever host name or port it used); there
 * is no `cloneUrlSsh`, because Pipewright serves git over HTTP only.
 */
export function renderRepositoryMetadata(record: RepositoryRecord, origin: string) {
  return {
    accountId: record.scope.accountId,
    repositoryId: record.repositoryId,
    repositoryName: record.name,
    ...(record.description === undefined ? {} : { repositoryDescription: record.description }),
    ...(record.defaultBranch === undefined ? {} : { defaultBranch: record.defaultBranch }),
    lastModifiedDate: epochSeconds(record.lastModified),
    creationDate: epochSeconds(record.created),
    cloneUrlHttp: `${origin}/v1/repos/${record.name}`,
    Arn: repositoryArn(record),
  };
}

/** CodeCommit's UserInfo: the date as `<epoch seconds> <offset>`, e.g. `1484167798 -0800`. */
function renderIdentity(identity: GitIdentity) {
  return {
    name: identity.name,
    email: identity.email,
    date: `${Math.floor(identity.date / 1000)} ${identity.timezone}`,
  };
}

export function renderCommit(commit: CommitInfo) {
  return {
    commitId: commit.commitId,
    treeId: commit.treeId,
    parents: [...commit.parents],
    message: commit.message,
    author: renderIdentity(commit.author),
    committer: renderIdentity(commit.committer),
    additionalData: "",
  };
}
