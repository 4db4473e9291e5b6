import { err, ok, type Result } from "../lib/result.js";
import type { SecretReference } from "./types.js";

const shape = "secret-id[:json-key[:version-stage[:version-id]]]";

/**
 * Reads an `env.secrets-manager` value: `secret-id[:json-key[:version-stage[:version-id]]]`.
 * The secret id is a name or a full ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>`,
 * itself six colons long, so the fields start after the ARN). Empty fields mean "not given"
 * (`MySecret::AWSPREVIOUS` gives a stage and no JSON key). A version stage and a version id
 * together are an error. The error is a message for the user without the key name.
 */
export function parseSecretReference(text: string): Result<SecretReference, string> {
  const parts = text.split(":");
  let secretId: string;
  let fields: string[];
  if (text.startsWith("arn:")) {
    const arn = parts.slice(0, 7);
    if (arn.length < 7 || arn[2] !== "secretsmanager" || arn[5] !== "secret" || arn[6] === "") {
      return err(
        `${JSON.stringify(text)} starts like an ARN but is not a Secrets Manager secret ARN; ` +
          "write arn:aws:secretsmanager:<region>:<account-id>:secret:<name>, optionally followed by :json-key",
      );
    }
    secretId = arn.join(":");
    fields = parts.slice(7);
  } else {
    secretId = parts[0]!;
    fields = parts.slice(1);
  }
  if (secretId === "") return err(`the secret id is empty; write ${shape}, e.g. prod/db:password`);
  if (fields.length > 3) {
    return err(`${JSON.stringify(text)} has too many ":" separated fields; write ${shape}`);
  }
  const [jsonKey, versionStage, versionId] = fields.map((field) => (field === "" ? undefined : field));
  if (versionStage !== undefined && versionId !== undefined) {
    return err(
      `${JSON.stringify(text)} names both a version stage (${versionStage}) and a version id; ` +
        "give version-stage or version-id, not both",
    );
  }
  return ok({
    secretId,
    ...(jsonKey === undefined ? {} : { jsonKey }),
    ...(versionStage === undefined ? {} : { versionStage }),
    ...(versionId === undefined ? {} : { versionId }),
  });
}
