import type { RefUpdate, RepositoryRecord } from "../../../store/types.js";
import { apiError } from "../../errors.js";
import type { RequestContext } from "../../request-context.js";
import { type CommitChangesRequest, type CommitPlan, planCommit } from "../commit-plan.js";
import type { CodeCommitDeps } from "../deps.js";
import { hasControlCharacter } from "../file-paths.js";
import { isValidBranchName } from "../git-names.js";

const FULL_ID = /^[0-9a-fA-F]{40}$/u;
/** CodeCommit: "Commit messages are limited to 256 KB." */
const MAX_MESSAGE_BYTES = 256 * 1024;

export interface BranchCommitRequest {
  readonly branchName?: string;
  readonly parentCommitId?: string;
  readonly authorName?: string;
  readonly email?: string;
  readonly commitMessage?: string;
  /** The message when none is given (CreateCommit's: "Commit made with CreateCommit"). */
  readonly defaultMessage: string;
  readonly changes: CommitChangesRequest;
  /** How a commit that changes nothing is refused (PutFile: SameFileContentException). */
  readonly noChange: () => never;
}

export interface BranchCommitResult {
  readonly commitId: string;
  readonly treeId: string;
  readonly plan: CommitPlan;
  readonly blobIds: ReadonlyMap<string, string>;
}

/**
 * The commit of CreateCommit, PutFile and DeleteFile: CodeCommit's checks of the branch, the
 * parent commit, the author and the message, the changes applied to the parent's tree, the
 * branch moved only from `parentCommitId` (compare-and-swap, serialised with pushes), and the
 * new commit announced to deps.onCommit exactly as `git push` of that commit would be.
 */
export async function commitOnBranch(
  deps: CodeCommitDeps,
  ctx: RequestContext,
  record: RepositoryRecord,
  request: BranchCommitRequest,
): Promise<BranchCommitResult> {
  const branchName = request.branchName;
  if (branchName === undefined || branchName === "") {
    throw apiError("BranchNameRequiredException", "A branch name is required, but was not specified.");
  }
  if (!isValidBranchName(branchName)) {
    throw apiError("InvalidBranchNameException", `The specified reference name is not valid: ${branchName}`);
  }
  const author = identity(request.authorName, request.email, ctx.principal, ctx.now);
  const message =
    request.commitMessage === undefined || request.commitMessage === ""
      ? request.defaultMessage
      : request.commitMessage;
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
    throw apiError(
      "CommitMessageLengthExceededException",
      `The commit message is longer than ${MAX_MESSAGE_BYTES} bytes.`,
    );
  }
  const refs = await deps.repositories.refs(record);
  const ref = `refs/heads/${branchName}`;
  const tip = refs.get(ref);
  if (tip === undefined && refs.has(`refs/tags/${branchName}`)) {
    throw apiError(
      "BranchNameIsTagNameException",
      `${branchName} is the name of a tag in repository ${record.name}, not of a branch.`,
    );
  }
  const parent = await parentCommit(deps, record, request.parentCommitId);
  const hasBranches = [...refs.keys()].some((r) => r.startsWith("refs/heads/"));
  if (tip === undefined && hasBranches) {
    throw apiError(
      "BranchDoesNotExistException",
      `Branch ${branchName} does not exist in repository ${record.name}; a commit adds to an existing branch (or creates the first branch of an empty repository). Create the branch with CreateBranch or git first.`,
    );
  }
  if (tip !== undefined && parent === undefined) {
    throw apiError(
      "ParentCommitIdRequiredException",
      `A parent commit ID is required: set parentCommitId to the latest commit of ${branchName} (${tip}), from GetBranch or git log.`,
    );
  }
  if (tip !== undefined && parent !== tip) outdated(branchName, tip);
  if (tip === undefined && parent !== undefined) {
    throw apiError(
      "ParentCommitDoesNotExistException",
      `Repository ${record.name} is empty; the first commit takes no parentCommitId.`,
    );
  }

  const existing = parent === undefined ? [] : await deps.repositories.treeFiles(record, parent);
  const plan = planCommit(existing, request.changes);
  const result = await deps.repositories.commitToBranch(record, {
    ref,
    ...(parent === undefined ? {} : { parent }),
    files: plan.files,
    message,
    author,
  });
  if (!result.ok) {
    if (result.reason === "NoChange") request.noChange();
    const now = (await deps.repositories.refs(record)).get(ref);
    outdated(branchName, now);
  }
  await announceRefUpdates(deps, ctx, record, result.updates);
  return { commitId: result.commitId, treeId: result.treeId, plan, blobIds: result.blobIds };
}

/**
 * Hands ref updates made through the API (a commit, a new branch) to deps.onCommit, the git
 * front end's push listener, so they start pipelines exactly as a push making them would. The
 * change is written already: a listener that fails is logged, not answered.
 */
export async function announceRefUpdates(
  deps: CodeCommitDeps,
  ctx: RequestContext,
  record: RepositoryRecord,
  updates: readonly RefUpdate[],
): Promise<void> {
  if (updates.length === 0 || !deps.onCommit) return;
  const repository = (await deps.repositories.get(ctx.scope, record.name)) ?? record;
  try {
    await deps.onCommit({ scope: ctx.scope, repository, updates: [...updates], pusher: ctx.principal });
  } catch (error) {
    deps.logger?.error("starting the pipelines of a ref update failed", {
      repository: record.name,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
}

async function parentCommit(
  deps: CodeCommitDeps,
  record: RepositoryRecord,
  id: string | undefined,
): Promise<string | undefined> {
  if (id === undefined || id === "") return undefined;
  if (!FULL_ID.test(id)) {
    throw apiError(
      "InvalidParentCommitIdException",
      `The parent commit ID is not valid: ${id.slice(0, 100)}; give a full 40-character commit ID.`,
    );
  }
  const commit = await deps.repositories.commit(record, id.toLowerCase());
  if (commit?.commitId !== id.toLowerCase()) {
    throw apiError(
      "ParentCommitDoesNotExistException",
      `The parent commit ID ${id} does not exist in repository ${record.name}.`,
    );
  }
  return commit.commitId;
}

function outdated(branchName: string, tip: string | undefined): never {
  throw apiError(
    "ParentCommitIdOutdatedException",
    `The parent commit ID is not the most recent commit on branch ${branchName}${tip ? ` (now ${tip})` : ""}: someone committed or pushed first. Get the branch's latest commit with GetBranch and try again.`,
  );
}

function identity(name: string | undefined, email: string | undefined, principal: string, now: number) {
  const author = name === undefined || name === "" ? principal : name;
  if (author.length > 1024)
    throw apiError("NameLengthExceededException", "The authorName is longer than 1,024 characters.");
  if (/[<>]/u.test(author) || hasControlCharacter(author))
    throw apiError("NameLengthExceededException", "The authorName cannot contain '<', '>' or a line break.");
  const mail = email ?? "";
  if (mail.length > 1024 || /[<>]/u.test(mail) || hasControlCharacter(mail)) {
    throw apiError(
      "InvalidEmailException",
      `The email '${mail.slice(0, 100)}' is not valid: at most 1,024 characters, without '<', '>' or a line break.`,
    );
  }
  return { name: author, email: mail, date: now, timezone: "+0000" };
}
