/** The manifest media types the registry stores (pure). */
export const MediaType = {
  DockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  DockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  OciManifest: "application/vnd.oci.image.manifest.v1+json",
  OciIndex: "application/vnd.oci.image.index.v1+json",
} as const;
export type ManifestMediaType = (typeof MediaType)[keyof typeof MediaType];

export const manifestMediaTypes: readonly ManifestMediaType[] = Object.values(MediaType);

export function isIndexType(mediaType: string): boolean {
  return mediaType === MediaType.DockerManifestList || mediaType === MediaType.OciIndex;
}
