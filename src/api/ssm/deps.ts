import type { ParameterService } from "../../runtime/secrets/parameters.js";

/** What the SSM operations need: the Parameter Store service. */
export interface SsmDeps {
  readonly parameters: ParameterService;
}
