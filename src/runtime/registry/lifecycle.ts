import type { Logger } from "../../lib/logger.js";
import { type LifecycleImage, parseLifecyclePolicy, planExpiry } from "../../registry/lifecycle-policy.js";
import type { RegistryStore } from "../../store/registry-store-types.js";
import type { Scope } from "../../store/types.js";

/**
 * Applies a repository's lifecycle policy now: the pure planExpiry decides, this deletes the
 * images it names (an image an index still names stays, as in ECR) and records when it ran.
 * Called after PutLifecyclePolicy and after every push to the repository; ECR runs policies
 * within 24 hours instead. Returns the digests it expired.
 */
export async function applyLifecyclePolicy(
  store: RegistryStore,
  scope: Scope,
  repositoryName: string,
  now: number,
  logger: Logger,
): Promise<string[]> {
  const repository = await store.getRepository(scope, repositoryName);
  if (!repository?.lifecyclePolicy) return [];
  const policy = parseLifecyclePolicy(repository.lifecyclePolicy.text);
  if (!policy.ok) {
    logger.warn("stored lifecycle policy does not parse", {
      repository: repositoryName,
      reason: policy.error,
    });
    return [];
  }
  const images: LifecycleImage[] = [];
  let after: string | undefined;
  do {
    const page = await store.listImages(scope, repositoryName, { limit: 500, ...(after ? { after } : {}) });
    images.push(...page.items);
    after = page.nextAfter;
  } while (after !== undefined);
  const expired: string[] = [];
  for (const { digest } of planExpiry(policy.value, images, now)) {
    if ((await store.deleteImage(scope, repositoryName, digest)) === "Deleted") expired.push(digest);
  }
  const current = await store.getRepository(scope, repositoryName);
  if (current) await store.updateRepository({ ...current, lifecycleEvaluatedAt: now });
  if (expired.length > 0)
    logger.info("lifecycle policy expired images", { repository: repositoryName, expired });
  return expired;
}
