import type { ExceptionType, ServiceFailure } from "../model/exceptions.js";

/**
 * The catalogue of every error the API answers with: AWS's exception name, the HTTP status AWS
 * uses, and what usually causes it. docs/errors.md lists exactly these (checked by errors.test.ts).
 */
export const errorCatalogue: Record<ExceptionType, { status: number; description: string }> = {
  SerializationException: {
    status: 400,
    description: "The body is not valid JSON or a member has the wrong type.",
  },
  ValidationException: {
    status: 400,
    description: "A member breaks a length, pattern, range or enum constraint.",
  },
  UnknownOperationException: {
    status: 400,
    description: "No service on this port knows the X-Amz-Target or path.",
  },
  UnsupportedOperationException: {
    status: 400,
    description: "A real AWS operation that Pipewright does not implement yet; the message names it.",
  },
  MissingAuthenticationTokenException: {
    status: 403,
    description: "Access keys are configured and the request carries no SigV4 signature.",
  },
  IncompleteSignatureException: { status: 400, description: "The Authorization header is malformed." },
  InvalidSignatureException: {
    status: 403,
    description: "The SigV4 signature does not match (wrong secret key) or the request is too old.",
  },
  UnrecognizedClientException: { status: 403, description: "The access key id is not one Pipewright knows." },
  XAmzContentSHA256Mismatch: { status: 400, description: "x-amz-content-sha256 does not match the body." },
  RequestEntityTooLargeException: {
    status: 413,
    description: "The body is larger than the configured limit (--max-body-bytes).",
  },
  InternalFailure: {
    status: 500,
    description: "A Pipewright bug or a storage failure; the server keeps serving.",
  },
  PipelineNotFoundException: {
    status: 400,
    description: "No pipeline of that name in this account and region.",
  },
  PipelineNameInUseException: {
    status: 400,
    description:
      "Reserved by AWS's model; CreatePipeline reports a taken name as InvalidStructureException, as AWS does.",
  },
  PipelineVersionNotFoundException: {
    status: 400,
    description: "GetPipeline asked for a version that never existed.",
  },
  InvalidStructureException: {
    status: 400,
    description: "The pipeline's structure breaks a rule (stages, artifacts, V2 features).",
  },
  InvalidStageDeclarationException: { status: 400, description: "A stage declaration breaks a rule." },
  InvalidActionDeclarationException: {
    status: 400,
    description: "An action breaks a rule: unknown type, configuration, artifact counts, namespace.",
  },
  InvalidBlockerDeclarationException: { status: 400, description: "A stage blocker declaration is invalid." },
  LimitExceededException: {
    status: 400,
    description: "A quota is exceeded (pipelines per region, custom action types).",
  },
  TooManyTagsException: { status: 400, description: "A resource would have more than 50 tags." },
  InvalidTagsException: { status: 400, description: "A tag key starts with 'aws:' or a tag is malformed." },
  InvalidArnException: { status: 400, description: "The resource ARN is not a CodePipeline ARN." },
  ResourceNotFoundException: {
    status: 400,
    description: "The resource (pipeline, action type, secret) named by the ARN or name does not exist.",
  },
  InvalidNextTokenException: {
    status: 400,
    description: "The nextToken was not issued by this server for this list.",
  },
  ActionTypeNotFoundException: {
    status: 400,
    description: "No action type with that category, owner, provider and version.",
  },
  ConcurrentModificationException: {
    status: 400,
    description: "Another request changed the resource at the same time; retry.",
  },
  ConflictException: {
    status: 400,
    description: "The pipeline is busy with a conflicting change to the same execution; retry.",
  },
  PipelineExecutionNotFoundException: {
    status: 400,
    description: "No execution with that id belongs to the named pipeline.",
  },
  PipelineExecutionNotStoppableException: {
    status: 400,
    description: "The execution already finished (Succeeded, Failed, Stopped, Superseded).",
  },
  DuplicatedStopRequestException: {
    status: 400,
    description: "The execution is already stopping that way; stop-and-wait may still become abandon.",
  },
  StageNotFoundException: { status: 400, description: "The pipeline has no stage of that name." },
  StageNotRetryableException: {
    status: 400,
    description:
      "The stage has nothing to retry, is still running (ALL_ACTIONS), was skipped, or the pipeline changed.",
  },
  NotLatestPipelineExecutionException: {
    status: 400,
    description: "A newer execution has entered the stage since; only the latest can be retried.",
  },
  ConcurrentPipelineExecutionsLimitExceededException: {
    status: 400,
    description: "A QUEUED or PARALLEL pipeline already has 50 unfinished executions.",
  },
  UnableToRollbackStageException: {
    status: 400,
    description:
      "The stage or target execution cannot be rolled back to (source stage, not succeeded, PARALLEL, running).",
  },
  PipelineExecutionOutdatedException: {
    status: 400,
    description: "The rollback target ran on an older pipeline version.",
  },
  InvalidApprovalTokenException: {
    status: 400,
    description: "The token is not the one of the approval request waiting on that action.",
  },
  ApprovalAlreadyCompletedException: {
    status: 400,
    description: "The approval was already answered or timed out.",
  },
  ActionNotFoundException: { status: 400, description: "The stage has no action of that name." },
  ConditionNotOverridableException: {
    status: 400,
    description: "There is no in-progress condition of that type to override.",
  },
  ResourceUnavailableException: {
    status: 400,
    description: "A connection of that name already exists (CodeConnections).",
  },
  JobNotFoundException: { status: 400, description: "No job with that id exists." },
  InvalidJobStateException: {
    status: 400,
    description: "The job is not in progress: not acknowledged yet, finished, timed out or offered again.",
  },
  InvalidNonceException: {
    status: 400,
    description:
      "The nonce is not the one PollForJobs returned with the job (it may have been offered again).",
  },
  OutputVariablesSizeExceededException: {
    status: 400,
    description: "Output variables of one action exceed 122,880 bytes together.",
  },
  RepositoryNameExistsException: {
    status: 400,
    description: "The scope already has a repository of that name (CodeCommit).",
  },
  RepositoryDoesNotExistException: {
    status: 400,
    description: "No repository of that name in this account and region (CodeCommit).",
  },
  RepositoryNameRequiredException: {
    status: 400,
    description: "The request names no repository (CodeCommit).",
  },
  InvalidRepositoryNameException: {
    status: 400,
    description:
      "The repository name breaks CodeCommit's rule: [\\w.-], 1-100 characters, not ending in .git.",
  },
  InvalidRepositoryDescriptionException: {
    status: 400,
    description: "The repository description is longer than 1,000 characters.",
  },
  BranchNameRequiredException: {
    status: 400,
    description: "The request names no branch (CodeCommit).",
  },
  InvalidBranchNameException: {
    status: 400,
    description: "The branch name is not a name git accepts.",
  },
  BranchDoesNotExistException: {
    status: 400,
    description: "The repository has no branch of that name.",
  },
  CommitIdRequiredException: {
    status: 400,
    description: "The request names no commit (CodeCommit).",
  },
  InvalidCommitIdException: {
    status: 400,
    description: "The commit id is not a full 40-character hexadecimal id.",
  },
  CommitIdDoesNotExistException: {
    status: 400,
    description: "The repository has no commit with that id.",
  },
  PathRequiredException: {
    status: 400,
    description: "A CodeCommit file operation names no file or folder path.",
  },
  InvalidPathException: {
    status: 400,
    description: "CodeCommit: the path has a '.', '..', '.git' or empty component, or a control character.",
  },
  FileDoesNotExistException: { status: 400, description: "CodeCommit: the commit has no file at that path." },
  FolderDoesNotExistException: {
    status: 400,
    description: "CodeCommit: the commit has no folder at that path.",
  },
  PathDoesNotExistException: {
    status: 400,
    description: "GetDifferences: beforePath or afterPath names nothing in its commit.",
  },
  CommitDoesNotExistException: {
    status: 400,
    description:
      "CodeCommit: the commit specifier names no commit, or none was given and there is no default branch.",
  },
  InvalidCommitException: {
    status: 400,
    description: "CodeCommit: the commit specifier is not something git can resolve.",
  },
  CommitRequiredException: { status: 400, description: "GetDifferences names no afterCommitSpecifier." },
  FileTooLargeException: { status: 400, description: "GetFile of a file over 6 MB." },
  InvalidMaxResultsException: {
    status: 400,
    description: "GetDifferences' MaxResults is not a positive number.",
  },
  ParentCommitIdRequiredException: {
    status: 400,
    description: "CreateCommit on an existing branch without parentCommitId.",
  },
  InvalidParentCommitIdException: {
    status: 400,
    description: "CreateCommit's parentCommitId is not a full commit id.",
  },
  ParentCommitDoesNotExistException: {
    status: 400,
    description: "CreateCommit's parentCommitId names no commit of the repository.",
  },
  ParentCommitIdOutdatedException: {
    status: 400,
    description:
      "CreateCommit's parentCommitId is not the branch's latest commit (someone committed or pushed first).",
  },
  BranchNameIsTagNameException: {
    status: 400,
    description: "CreateCommit's branchName is the name of a tag.",
  },
  FileEntryRequiredException: {
    status: 400,
    description: "CreateCommit with no putFiles, deleteFiles or setFileModes entry.",
  },
  MaximumFileEntriesExceededException: {
    status: 400,
    description: "CreateCommit with more than 100 file entries.",
  },
  PutFileEntryConflictException: {
    status: 400,
    description: "CreateCommit names one path in several putFiles entries.",
  },
  SourceFileOrContentRequiredException: {
    status: 400,
    description: "A putFiles entry with neither fileContent nor sourceFile.",
  },
  FileContentAndSourceFileSpecifiedException: {
    status: 400,
    description: "A putFiles entry with both fileContent and sourceFile.",
  },
  SamePathRequestException: {
    status: 400,
    description: "CreateCommit names one path in two kinds of entry (put, delete, set mode, move).",
  },
  FileContentSizeLimitExceededException: {
    status: 400,
    description: "A putFiles entry's content is over 6 MB.",
  },
  FolderContentSizeLimitExceededException: {
    status: 400,
    description: "CreateCommit's new content is over 6 MB in all.",
  },
  InvalidFileModeException: {
    status: 400,
    description: "A file mode that is not EXECUTABLE, NORMAL or SYMLINK.",
  },
  FileModeRequiredException: { status: 400, description: "A setFileModes entry without fileMode." },
  NameLengthExceededException: {
    status: 400,
    description: "CreateCommit's authorName is longer than 1,024 characters.",
  },
  InvalidEmailException: {
    status: 400,
    description: "CreateCommit's email is longer than 1,024 characters or contains '<', '>' or a newline.",
  },
  CommitMessageLengthExceededException: {
    status: 400,
    description: "CreateCommit's commitMessage is longer than 256 KB.",
  },
  NoChangeException: {
    status: 400,
    description: "CreateCommit would write the tree its parent already has.",
  },
  SameFileContentException: {
    status: 400,
    description: "PutFile would write the content and mode the file already has on the branch.",
  },
  FileContentRequiredException: {
    status: 400,
    description: "PutFile without fileContent.",
  },
  BlobIdRequiredException: {
    status: 400,
    description: "GetBlob without blobId.",
  },
  InvalidBlobIdException: {
    status: 400,
    description: "GetBlob's blobId is not a 40-character object id.",
  },
  BlobIdDoesNotExistException: {
    status: 400,
    description: "GetBlob's blobId names no blob of the repository.",
  },
  BranchNameExistsException: {
    status: 400,
    description: "CreateBranch names a branch that exists.",
  },
  DefaultBranchCannotBeDeletedException: {
    status: 400,
    description: "DeleteBranch names the repository's default branch.",
  },
  FileNameConflictsWithDirectoryNameException: {
    status: 400,
    description: "CreateCommit puts a file where the tree has a folder of that name.",
  },
  DirectoryNameConflictsWithFileNameException: {
    status: 400,
    description: "CreateCommit puts a file under a path the tree has as a file.",
  },
  FilePathConflictsWithSubmodulePathException: {
    status: 400,
    description: "CreateCommit changes a path that is, or is inside, a submodule.",
  },
  InvalidContinuationTokenException: {
    status: 400,
    description: "The nextToken was not issued by this server for this list and sort (CodeCommit).",
  },
  InvalidSortByException: {
    status: 400,
    description: "ListRepositories' sortBy is neither repositoryName nor lastModifiedDate.",
  },
  InvalidOrderException: {
    status: 400,
    description: "ListRepositories' order is neither ascending nor descending.",
  },
  InvalidTagsMapException: {
    status: 400,
    description: "A repository tag key is not 1-128 characters long, or a value is longer than 256.",
  },
  InvalidSystemTagUsageException: {
    status: 400,
    description: "A repository tag key starts with 'aws:'.",
  },
  ParameterNotFound: {
    status: 400,
    description: "No SSM parameter of that name in this account and region (Parameter Store).",
  },
  ParameterAlreadyExists: {
    status: 400,
    description: "PutParameter names an existing parameter without Overwrite.",
  },
  ParameterVersionNotFound: {
    status: 400,
    description: "A `name:version` selector names a version the parameter does not have (or a label).",
  },
  ParameterPatternMismatchException: {
    status: 400,
    description: "PutParameter's value does not match the parameter's AllowedPattern.",
  },
  HierarchyLevelLimitExceededException: {
    status: 400,
    description: "A parameter name has more than 15 levels of hierarchy.",
  },
  InvalidNextToken: {
    status: 400,
    description: "The NextToken was not issued by this server for this list (Parameter Store).",
  },
  ResourceExistsException: {
    status: 400,
    description:
      "CreateSecret names an existing secret, or a ClientRequestToken an existing version with another value.",
  },
  InvalidParameterException: {
    status: 400,
    description:
      "A Secrets Manager parameter is invalid (secret name characters, RecoveryWindowInDays, both value kinds), or an ECS member breaks a constraint (the message names it).",
  },
  InvalidRequestException: {
    status: 400,
    description:
      "The secret is scheduled for deletion, a value lacks a ClientRequestToken, or stage and id disagree.",
  },
  DecryptionFailure: {
    status: 400,
    description:
      "A stored parameter or secret value does not decrypt: secrets.key is not the key it was written with.",
  },
  InvalidInputException: {
    status: 400,
    description: "CodeBuild: a project or build request breaks a rule (the message names the field).",
  },
  ResourceAlreadyExistsException: { status: 400, description: "CodeBuild: a project of that name exists." },
  AccountLimitExceededException: {
    status: 400,
    description: "CodeBuild: too many builds or projects for this account.",
  },
  RepositoryAlreadyExistsException: {
    status: 400,
    description: "ECR: a repository of that name exists in the registry.",
  },
  RepositoryNotFoundException: {
    status: 400,
    description: "ECR: no repository of that name in the registry.",
  },
  RepositoryNotEmptyException: {
    status: 400,
    description: "ECR: DeleteRepository without force on a repository that holds images.",
  },
  ImageNotFoundException: {
    status: 400,
    description: "ECR: DescribeImages names an image the repository does not have.",
  },
  ImageAlreadyExistsException: {
    status: 400,
    description: "ECR: PutImage of a manifest and tag the repository already has.",
  },
  ImageTagAlreadyExistsException: {
    status: 400,
    description: "ECR: the tag exists on another image and the repository's tags are IMMUTABLE.",
  },
  LayersNotFoundException: {
    status: 400,
    description: "ECR: PutImage names blobs (layers, config) the repository does not have.",
  },
  ReferencedImagesNotFoundException: {
    status: 400,
    description: "ECR: PutImage of an index whose manifests the repository does not have.",
  },
  ImageDigestDoesNotMatchException: {
    status: 400,
    description: "ECR: PutImage's imageDigest is not the digest of imageManifest.",
  },
  LifecyclePolicyNotFoundException: {
    status: 400,
    description: "ECR: the repository has no lifecycle policy.",
  },
  InvalidTagParameterException: {
    status: 400,
    description: "ECR: a tag key is empty, longer than 128 characters or starts with 'aws:'.",
  },
  ClientException: {
    status: 400,
    description:
      "ECS: the request names something that does not work (task definition, family, container fields); the message says which.",
  },
  ServerException: {
    status: 500,
    description:
      "ECS: Pipewright could not carry out the request (the runtime or store failed); the message says what to check.",
  },
  ClusterNotFoundException: {
    status: 400,
    description:
      "ECS: no ACTIVE cluster of that name (the default cluster is created by CreateCluster, as on AWS).",
  },
  ServiceNotFoundException: {
    status: 400,
    description: "ECS: no service of that name in the cluster.",
  },
  ServiceNotActiveException: {
    status: 400,
    description: "ECS: UpdateService of a service that is DRAINING or INACTIVE.",
  },
  ClusterContainsServicesException: {
    status: 400,
    description: "ECS: DeleteCluster while the cluster has ACTIVE or DRAINING services.",
  },
  ClusterContainsTasksException: {
    status: 400,
    description: "ECS: DeleteCluster while tasks of the cluster are not STOPPED.",
  },
};

/** Thrown inside an operation to answer with an AWS error; the app turns it into a response. */
export class ApiError extends Error {
  readonly type: ExceptionType;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(type: ExceptionType, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = errorCatalogue[type].status;
    this.details = details;
  }
}

export function apiError(type: ExceptionType, message: string, details?: Record<string, unknown>): ApiError {
  return new ApiError(type, message, details);
}

export function fromFailure(failure: ServiceFailure): ApiError {
  return new ApiError(failure.type, failure.message, failure.details);
}
