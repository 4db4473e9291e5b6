import type { SecretWithVersions } from "../../runtime/secrets/secrets.js";
import type { SecretVersionSummary } from "../../store/types.js";
import { epochSeconds } from "../pagination.js";

/** Version id → labels, for the versions that carry labels (AWS leaves deprecated ones out). */
export function versionsToStages(versions: readonly SecretVersionSummary[]): Record<string, string[]> {
  return Object.fromEntries(
    versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, [...v.stages]]),
  );
}

/** What DescribeSecret and ListSecrets share (ListSecrets names the version map differently). */
export function renderSecret({ record, versions }: SecretWithVersions, versionsMember: string) {
  const stages = versionsToStages(versions);
  return {
    ARN: record.arn,
    Name: record.name,
    ...(record.description === undefined ? {} : { Description: record.description }),
    ...(record.kmsKeyId === undefined ? {} : { KmsKeyId: record.kmsKeyId }),
    LastChangedDate: epochSeconds(record.lastChanged),
    ...(record.deletionDate === undefined ? {} : { DeletedDate: epochSeconds(record.deletionDate) }),
    ...(record.tags.length === 0 ? {} : { Tags: record.tags }),
    ...(Object.keys(stages).length === 0 ? {} : { [versionsMember]: stages }),
    CreatedDate: epochSeconds(record.created),
  };
}
