import type { JsonService } from "../operation.js";
import type { CodeCommitDeps } from "./deps.js";
import { createBranch, deleteBranch, updateDefaultBranch } from "./operations/branch-changes.js";
import { getBranch, listBranches } from "./operations/branches.js";
import { createCommit } from "./operations/create-commit.js";
import { deleteFile, putFile } from "./operations/file-commits.js";
import { getFile, getFolder } from "./operations/files.js";
import { getBlob } from "./operations/get-blob.js";
import { getCommit } from "./operations/get-commit.js";
import { getDifferences } from "./operations/get-differences.js";
import { listRepositories } from "./operations/list-repositories.js";
import { createRepository, deleteRepository, getRepository } from "./operations/repositories.js";

/**
 * CodeCommit (`CodeCommit_20150413`, signing name `codecommit`): repositories, branches and
 * commits of the repositories this server hosts (git itself is served by api/git). Operations
 * of AWS's model that are not in `operations` are listed in `notImplemented` and answered with
 * UnsupportedOperationException. docs/git.md says what differs from CodeCommit.
 */
export function createCodeCommitService(deps: CodeCommitDeps): JsonService {
  return {
    targetPrefix: "CodeCommit_20150413",
    signingName: "codecommit",
    operations: [
      createRepository(deps),
      getRepository(deps),
      listRepositories(deps),
      deleteRepository(deps),
      getBranch(deps),
      listBranches(deps),
      getCommit(deps),
      getFile(deps),
      getFolder(deps),
      getDifferences(deps),
      createCommit(deps),
      putFile(deps),
      deleteFile(deps),
      getBlob(deps),
      createBranch(deps),
      deleteBranch(deps),
      updateDefaultBranch(deps),
    ],
    notImplemented,
  };
}

/** Every other operation of botocore's codecommit 2015-04-13 model. */
const notImplemented = [
  "AssociateApprovalRuleTemplateWithRepository",
  "BatchAssociateApprovalRuleTemplateWithRepositories",
  "BatchDescribeMergeConflicts",
  "BatchDisassociateApprovalRuleTemplateFromRepositories",
  "BatchGetCommits",
  "BatchGetRepositories",
  "CreateApprovalRuleTemplate",
  "CreatePullRequest",
  "CreatePullRequestApprovalRule",
  "CreateUnreferencedMergeCommit",
  "DeleteApprovalRuleTemplate",
  "DeleteCommentContent",
  "DeletePullRequestApprovalRule",
  "DescribeMergeConflicts",
  "DescribePullRequestEvents",
  "DisassociateApprovalRuleTemplateFromRepository",
  "EvaluatePullRequestApprovalRules",
  "GetApprovalRuleTemplate",
  "GetComment",
  "GetCommentReactions",
  "GetCommentsForComparedCommit",
  "GetCommentsForPullRequest",
  "GetMergeCommit",
  "GetMergeConflicts",
  "GetMergeOptions",
  "GetPullRequest",
  "GetPullRequestApprovalStates",
  "GetPullRequestOverrideState",
  "GetRepositoryTriggers",
  "ListApprovalRuleTemplates",
  "ListAssociatedApprovalRuleTemplatesForRepository",
  "ListPullRequests",
  "ListRepositoriesForApprovalRuleTemplate",
  "ListTagsForResource",
  "MergeBranchesByFastForward",
  "MergeBranchesBySquash",
  "MergeBranchesByThreeWay",
  "MergePullRequestByFastForward",
  "MergePullRequestBySquash",
  "MergePullRequestByThreeWay",
  "OverridePullRequestApprovalRules",
  "PostCommentForComparedCommit",
  "PostCommentForPullRequest",
  "PostCommentReply",
  "PutCommentReaction",
  "PutRepositoryTriggers",
  "TagResource",
  "TestRepositoryTriggers",
  "UntagResource",
  "UpdateApprovalRuleTemplateContent",
  "UpdateApprovalRuleTemplateDescription",
  "UpdateApprovalRuleTemplateName",
  "UpdateComment",
  "UpdatePullRequestApprovalRuleContent",
  "UpdatePullRequestApprovalState",
  "UpdatePullRequestDescription",
  "UpdatePullRequestStatus",
  "UpdatePullRequestTitle",
  "UpdateRepositoryDescription",
  "UpdateRepositoryName",
  // Newer than Debian's botocore (in the AWS SDK v3 client's model).
  "GetBlobDifferences",
  "ListFileCommitHistory",
  "UpdateRepositoryEncryptionKey",
];
