/** CodePipeline's FailureType values (PutJobFailureResult.failureDetails.type), verbatim. */
export const FailureType = {
  JobFailed: "JobFailed",
  ConfigurationError: "ConfigurationError",
  PermissionError: "PermissionError",
  RevisionOutOfSync: "RevisionOutOfSync",
  RevisionUnavailable: "RevisionUnavailable",
  SystemUnavailable: "SystemUnavailable",
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Why an action failed, as a job worker or provider reports it. */
export interface FailureDetails {
  readonly type: FailureType;
  readonly message: string;
  readonly externalExecutionId?: string;
}
