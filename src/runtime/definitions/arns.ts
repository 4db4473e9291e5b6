import type { Scope } from "../../store/types.js";

/** `arn:aws:codepipeline:<region>:<account>:<name>`, as AWS writes pipeline ARNs. */
export function pipelineArn(scope: Scope, name: string): string {
  return `arn:aws:codepipeline:${scope.region}:${scope.accountId}:${name}`;
}

const ARN_PATTERN = /^arn:aws(-[\w]+)*:codepipeline:([^:]+):([0-9]{12}):(.+)$/u;

export interface ParsedArn {
  readonly region: string;
  readonly accountId: string;
  /** Everything after the account: a pipeline name, `webhook:<name>`, `actiontype:...`. */
  readonly resource: string;
}

export function parseCodePipelineArn(arn: string): ParsedArn | undefined {
  const match = ARN_PATTERN.exec(arn);
  if (!match) return undefined;
  return { region: match[2]!, accountId: match[3]!, resource: match[4]! };
}
