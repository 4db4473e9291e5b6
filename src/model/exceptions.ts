/**
 * AWS exception names Pipewright answers with, verbatim. The API's catalogue (api/errors.ts)
 * gives each an HTTP status and a description; docs/errors.md lists exactly these.
 */
export const ExceptionTypes = [
  // Protocol and authentication (every JSON 1.1 service)
  "SerializationException",
  "ValidationException",
  "UnknownOperationException",
  "UnsupportedOperationException",
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "UnrecognizedClientException",
  "XAmzContentSHA256Mismatch",
  "RequestEntityTooLargeException",
  "InternalFailure",
  // CodePipeline
  "PipelineNotFoundException",
  "PipelineNameInUseException",
  "PipelineVersionNotFoundException",
  "InvalidStructureException",
  "InvalidStageDeclarationException",
  "InvalidActionDeclarationException",
  "InvalidBlockerDeclarationException",
  "LimitExceededException",
  "TooManyTagsException",
  "InvalidTagsException",
  "InvalidArnException",
  "ResourceNotFoundException",
  "InvalidNextTokenException",
  "ActionTypeNotFoundException",
  "ConcurrentModificationException",
  // CodePipeline executions
  "ConflictException",
  "PipelineExecutionNotFoundException",
  "PipelineExecutionNotStoppableException",
  "DuplicatedStopRequestException",
  "StageNotFoundException",
  "StageNotRetryableException",
  "NotLatestPipelineExecutionException",
  "ConcurrentPipelineExecutionsLimitExceededException",
  "UnableToRollbackStageException",
  "PipelineExecutionOutdatedException",
  "InvalidApprovalTokenException",
  "ApprovalAlreadyCompletedException",
  "ActionNotFoundException",
  "ConditionNotOverridableException",
  // CodeConnections
  "ResourceUnavailableException",
  // CodePipeline job workers
  "JobNotFoundException",
  "InvalidJobStateException",
  "InvalidNonceException",
  "OutputVariablesSizeExceededException",
  // CodeCommit
  "RepositoryNameExistsException",
  "RepositoryDoesNotExistException",
  "RepositoryNameRequiredException",
  "InvalidRepositoryNameException",
  "InvalidRepositoryDescriptionException",
  "BranchNameRequiredException",
  "InvalidBranchNameException",
  "BranchDoesNotExistException",
  "CommitIdRequiredException",
  "InvalidCommitIdException",
  "CommitIdDoesNotExistException",
  "PathRequiredException",
  "InvalidPathException",
  "FileDoesNotExistException",
  "FolderDoesNotExistException",
  "PathDoesNotExistException",
  "CommitDoesNotExistException",
  "InvalidCommitException",
  "CommitRequiredException",
  "FileTooLargeException",
  "InvalidMaxResultsException",
  "ParentCommitIdRequiredException",
  "InvalidParentCommitIdException",
  "ParentCommitDoesNotExistException",
  "ParentCommitIdOutdatedException",
  "BranchNameIsTagNameException",
  "FileEntryRequiredException",
  "MaximumFileEntriesExceededException",
  "PutFileEntryConflictException",
  "SourceFileOrContentRequiredException",
  "FileContentAndSourceFileSpecifiedException",
  "SamePathRequestException",
  "FileContentSizeLimitExceededException",
  "FolderContentSizeLimitExceededException",
  "InvalidFileModeException",
  "FileModeRequiredException",
  "NameLengthExceededException",
  "InvalidEmailException",
  "CommitMessageLengthExceededException",
  "NoChangeException",
  "FileNameConflictsWithDirectoryNameException",
  "DirectoryNameConflictsWithFileNameException",
  "FilePathConflictsWithSubmodulePathException",
  "InvalidContinuationTokenException",
  "InvalidSortByException",
  "InvalidOrderException",
  "InvalidTagsMapException",
  "InvalidSystemTagUsageException",
  // Systems Manager Parameter Store
  "ParameterNotFound",
  "ParameterAlreadyExists",
  "ParameterVersionNotFound",
  "ParameterPatternMismatchException",
  "HierarchyLevelLimitExceededException",
  "InvalidNextToken",
  // Secrets Manager (ResourceNotFoundException, InvalidNextTokenException and
  // LimitExceededException are shared with the services above)
  "ResourceExistsException",
  "InvalidParameterException",
  "InvalidRequestException",
  // Parameter Store and Secrets Manager: a stored value that does not decrypt
  "DecryptionFailure",
  // CodeBuild (ResourceNotFoundException is shared)
  "InvalidInputException",
  "ResourceAlreadyExistsException",
  "AccountLimitExceededException",
  // Elastic Container Registry (InvalidParameterException, TooManyTagsException and
  // LimitExceededException are shared)
  "RepositoryAlreadyExistsException",
  "RepositoryNotFoundException",
  "RepositoryNotEmptyException",
  "ImageNotFoundException",
  "ImageAlreadyExistsException",
  "ImageTagAlreadyExistsException",
  "LayersNotFoundException",
  "ReferencedImagesNotFoundException",
  "ImageDigestDoesNotMatchException",
  "LifecyclePolicyNotFoundException",
  "InvalidTagParameterException",
] as const;

export type ExceptionType = (typeof ExceptionTypes)[number];

/** An expected, user-facing failure of an operation, in AWS's vocabulary. */
export interface ServiceFailure {
  readonly type: ExceptionType;
  readonly message: string;
  /** Extra members for the error body (for example the full list of validation issues). */
  readonly details?: Record<string, unknown>;
}
