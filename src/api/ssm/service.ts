import type { JsonService } from "../operation.js";
import type { SsmDeps } from "./deps.js";
import { notImplemented } from "./not-implemented.js";
import { deleteParameter, deleteParameters } from "./operations/delete-parameters.js";
import { describeParameters } from "./operations/describe-parameters.js";
import {
  getParameter,
  getParameterHistory,
  getParameters,
  getParametersByPath,
} from "./operations/get-parameters.js";
import { putParameter } from "./operations/put-parameter.js";

/**
 * Systems Manager Parameter Store (`AmazonSSM`, signing name `ssm`, AWS JSON 1.1): parameters
 * kept by this server, encrypted at rest (runtime/secrets). The rest of SSM is in
 * `notImplemented`. docs/secrets.md says what differs from AWS.
 */
export function createSsmService(deps: SsmDeps): JsonService {
  return {
    targetPrefix: "AmazonSSM",
    signingName: "ssm",
    operations: [
      putParameter(deps),
      getParameter(deps),
      getParameters(deps),
      getParametersByPath(deps),
      getParameterHistory(deps),
      deleteParameter(deps),
      deleteParameters(deps),
      describeParameters(deps),
    ],
    notImplemented,
  };
}
