/**
 * The Lambda API's exceptions, with the HTTP status Lambda answers each with (botocore's lambda
 * model; RequestEntityTooLargeException is what Lambda sends for an oversized upload, outside
 * the model). docs/lambda.md lists them.
 */
export const LambdaExceptions = {
  ResourceNotFoundException: 404,
  ResourceConflictException: 409,
  InvalidParameterValueException: 400,
  ValidationException: 400,
  PreconditionFailedException: 412,
  RequestTooLargeException: 413,
  RequestEntityTooLargeException: 413,
  InvalidRequestContentException: 400,
  UnsupportedMediaTypeException: 415,
  InvalidRuntimeException: 502,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  IncompleteSignatureException: 400,
  MissingAuthenticationTokenException: 403,
  UnknownOperationException: 400,
  UnsupportedOperationException: 400,
  ServiceException: 500,
} as const;

export type LambdaExceptionType = keyof typeof LambdaExceptions;

export interface LambdaFailure {
  readonly type: LambdaExceptionType;
  readonly message: string;
}

export const failure = (type: LambdaExceptionType, message: string): LambdaFailure => ({ type, message });
