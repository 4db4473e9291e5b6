import type { SecretResolver } from "../../build-agent/types.js";
import { parseSecretReference } from "../../buildspec/secret-reference.js";
import type { SecretReference } from "../../buildspec/types.js";
import { err, ok, type Result } from "../../lib/result.js";
import type { ContainerDefinition } from "../../model/ecs/types.js";

/**
 * A task definition container's `secrets` (name + valueFrom), resolved when the task starts
 * through the same resolver builds read `env.parameter-store` / `env.secrets-manager` with
 * (runtime/secrets/resolver.ts). valueFrom, as AWS documents it:
 *  - a Parameter Store name (`db-password`, `/prod/db/password`) or parameter ARN
 *    (`arn:aws:ssm:<region>:<account>:parameter/prod/db/password`);
 *  - a Secrets Manager secret ARN, optionally followed by `:json-key:version-stage:version-id`
 *    (`arn:aws:secretsmanager:...:secret:prod/db-AbCdEf:password::`).
 */
export type SecretSource =
  | { readonly kind: "ssm"; readonly name: string }
  | { readonly kind: "secretsmanager"; readonly reference: SecretReference };

/** Reads a valueFrom; the error says what is wrong (no value involved). */
export function parseValueFrom(valueFrom: string): Result<SecretSource, string> {
  if (valueFrom.startsWith("arn:")) {
    const service = valueFrom.split(":")[2];
    if (service === "secretsmanager") {
      const reference = parseSecretReference(valueFrom);
      return reference.ok ? ok({ kind: "secretsmanager", reference: reference.value }) : reference;
    }
    const ssm = /^arn:[\w-]+:ssm:[^:]*:[^:]*:parameter\/(.+)$/u.exec(valueFrom);
    if (service === "ssm" && ssm) {
      // AWS: a hierarchical name `/a/b` has the ARN `...:parameter/a/b`, a flat one `...:parameter/a`.
      const rest = ssm[1]!;
      return ok({ kind: "ssm", name: rest.includes("/") ? `/${rest}` : rest });
    }
    return err(
      `valueFrom ${JSON.stringify(valueFrom)} is neither an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>) nor a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`,
    );
  }
  if (valueFrom === "") return err("valueFrom is empty; give a Parameter Store name or a secret ARN");
  return ok({ kind: "ssm", name: valueFrom });
}

const PREFIX =
  "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed";

/** The stoppedReason of a task whose secret could not be read, in the ECS agent's words. */
export function secretFailureReason(
  source: SecretSource | undefined,
  valueFrom: string,
  why: string,
): string {
  if (source?.kind === "secretsmanager")
    return `${PREFIX}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${source.reference.secretId} from secrets manager: ${why.replace(/^Secrets Manager Error: /u, "")}`;
  if (source?.kind === "ssm")
    return `${PREFIX}: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: ${source.name} (${why})`;
  return `${PREFIX}: invalid secret ${valueFrom}: ${why}`;
}

export interface ResolvedSecrets {
  /** Container name -> the variables its secrets become. */
  readonly environment: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Every value, for masking in the task's logs. */
  readonly values: readonly string[];
}

/** Resolves every container's secrets; the first one that fails gives the task's stoppedReason. */
export async function resolveTaskSecrets(
  containers: readonly ContainerDefinition[],
  resolver: SecretResolver | undefined,
): Promise<Result<ResolvedSecrets, string>> {
  const environment = new Map<string, Record<string, string>>();
  const values: string[] = [];
  for (const c of containers) {
    const vars: Record<string, string> = {};
    for (const s of c.secrets ?? []) {
      const source = parseValueFrom(s.valueFrom);
      if (!source.ok) return err(secretFailureReason(undefined, s.valueFrom, source.error));
      if (!resolver)
        return err(
          secretFailureReason(source.value, s.valueFrom, "this server has no secret store for tasks"),
        );
      try {
        const value =
          source.value.kind === "ssm"
            ? await resolver.parameter(source.value.name)
            : await resolver.secret(source.value.reference);
        vars[s.name] = value;
        values.push(value);
      } catch (error) {
        return err(secretFailureReason(source.value, s.valueFrom, (error as Error).message));
      }
    }
    environment.set(c.name, vars);
  }
  return ok({ environment, values });
}
