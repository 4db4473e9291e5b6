import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../../lib/logger.js";
import type { RegistryStore } from "../../store/registry-store-types.js";
import type { Component } from "../components/component.js";

/** Uploads idle this long are abandoned (Docker retries a push from the start). */
export const UPLOAD_GRACE_MS = 24 * 3600 * 1000;
/** Blobs linked this recently are kept even if nothing references them: their manifest may be on its way. */
export const BLOB_GRACE_MS = 3600 * 1000;

/**
 * The registry's garbage collector as a background component: every hour it removes abandoned
 * uploads, blob links nothing references, and blob files no repository links
 * (RegistryStore.collectGarbage says exactly what). Returns the number of blobs removed.
 */
export function createRegistryGarbageCollector(
  store: RegistryStore,
  clock: Clock,
  logger: Logger,
): Component {
  return {
    name: "registry-garbage-collector",
    intervalMs: 3600 * 1000,
    async runOnce() {
      const report = await store.collectGarbage({
        now: clock.now(),
        uploadGraceMs: UPLOAD_GRACE_MS,
        blobGraceMs: BLOB_GRACE_MS,
      });
      if (report.blobsRemoved + report.uploadsRemoved > 0)
        logger.info("registry garbage collected", { ...report });
      return report.blobsRemoved;
    },
  };
}
