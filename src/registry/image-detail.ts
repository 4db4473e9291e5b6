/**
 * What the ECR source action writes (pure): `imageDetail.json` exactly as AWS's action does
 * (string values except the tag list, `ImagePushedAt` in Java's `Date.toString()` form in UTC,
 * a digest-pinned `ImageURI`), and its five output variables.
 */
export interface ImageDetailInput {
  readonly registryId: string;
  readonly repositoryName: string;
  readonly repositoryUri: string;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly size: number;
  readonly pushedAt: number;
}

export function imageDetailJson(image: ImageDetailInput): string {
  return JSON.stringify({
    ImageSizeInBytes: String(image.size),
    ImageDigest: image.digest,
    Version: "1.0",
    ImagePushedAt: javaDateString(image.pushedAt),
    RegistryId: image.registryId,
    RepositoryName: image.repositoryName,
    ImageURI: `${image.repositoryUri}@${image.digest}`,
    ImageTags: [...image.tags],
  });
}

export function ecrSourceVariables(image: ImageDetailInput, tag: string): Record<string, string> {
  return {
    RegistryId: image.registryId,
    RepositoryName: image.repositoryName,
    ImageTag: tag,
    ImageDigest: image.digest,
    ImageURI: `${image.repositoryUri}@${image.digest}`,
  };
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Mon Jan 21 20:04:00 UTC 2019`: java.util.Date#toString in UTC. */
export function javaDateString(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
