import type { ArtifactLocation } from "../../engine/execution-state.js";
import type { Clock } from "../../lib/clock.js";
import type { ArtifactAccess } from "../../providers/types.js";
import type { ObjectStore, Scope } from "../../store/types.js";

/**
 * Artifacts for providers, kept in the S3-style object store (so external workers reach the same
 * objects over the S3 API). The artifact bucket is created on first write if it does not exist:
 * AWS requires it to exist beforehand, but locally that is a step nobody should need.
 */
export function createArtifactAccess(objects: ObjectStore, scope: Scope, clock: Clock): ArtifactAccess {
  return {
    async read(location: ArtifactLocation) {
      const found = await objects.getObject(location.bucket, location.key);
      if (!found) {
        throw new Error(`artifact ${location.name} is missing from s3://${location.bucket}/${location.key}`);
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of found.body) chunks.push(chunk);
      return Buffer.concat(chunks);
    },
    async write(
      location: ArtifactLocation,
      body: Uint8Array | AsyncIterable<Uint8Array>,
      contentType?: string,
    ) {
      if (!(await objects.getBucket(location.bucket))) {
        await objects.createBucket({ scope, name: location.bucket, created: clock.now() });
      }
      const stored = await objects.putObject({
        bucket: location.bucket,
        key: location.key,
        body:
          body instanceof Uint8Array
            ? (async function* () {
                yield body;
              })()
            : body,
        ...(contentType ? { contentType } : {}),
        now: clock.now(),
      });
      if (!stored) throw new Error(`artifact bucket ${location.bucket} could not be written`);
    },
  };
}
