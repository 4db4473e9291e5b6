import { describe, expect, it } from "vitest";
import { parseSecretReference } from "./secret-reference.js";

describe("parseSecretReference", () => {
  it.each([
    ["prod/db", { secretId: "prod/db" }],
    ["prod/db:password", { secretId: "prod/db", jsonKey: "password" }],
    ["prod/db::AWSPREVIOUS", { secretId: "prod/db", versionStage: "AWSPREVIOUS" }],
    ["prod/db:password::v-123", { secretId: "prod/db", jsonKey: "password", versionId: "v-123" }],
    [
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf",
      { secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf" },
    ],
    [
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:password:AWSCURRENT",
      {
        secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf",
        jsonKey: "password",
        versionStage: "AWSCURRENT",
      },
    ],
  ])("reads %s", (text, expected) => {
    expect(parseSecretReference(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["prod/db:k:AWSCURRENT:v-1", "give version-stage or version-id, not both"],
    ["a:b:c:d:e", 'has too many ":" separated fields'],
    [":password", "the secret id is empty"],
    ["arn:aws:s3:::bucket/key", "is not a Secrets Manager secret ARN"],
    ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:", "is not a Secrets Manager secret ARN"],
  ])("rejects %s", (text, fragment) => {
    const result = parseSecretReference(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(fragment);
  });
});
