import { createTestWorld } from "./test-world.js";

export type { CallResult } from "./test-world.js";

/**
 * The whole API in process, for tests of pipeline definitions: the test world without the
 * automatic first execution of new pipelines, so those tests see definitions only.
 */
export function createTestApi(options: { maxBodyBytes?: number } = {}) {
  const world = createTestWorld({ ...options, startOnCreate: false });
  return { app: world.app, call: world.call, clock: world.clock, stores: world.stores };
}
