import { afterEach, beforeEach, describe } from "vitest";
import { describeActionTypeStoreContract } from "./contract/action-type-store.contract.js";
import { describeBuildStoreContract } from "./contract/build-store.contract.js";
import { describeConnectionStoreContract } from "./contract/connection-store.contract.js";
import { describeDurabilityContract } from "./contract/durability.contract.js";
import { describeEcsStoreContract } from "./contract/ecs-store.contract.js";
import { describeFunctionStoreContract } from "./contract/function-store.contract.js";
import { describeObjectStoreContract } from "./contract/object-store.contract.js";
import { describeParameterStoreContract } from "./contract/parameter-store.contract.js";
import { describePipelineListContract } from "./contract/pipeline-list.contract.js";
import { describePipelineStoreContract } from "./contract/pipeline-store.contract.js";
import { describeRegistryStoreContract } from "./contract/registry-store.contract.js";
import { describeRepositoryStoreContract } from "./contract/repository-store.contract.js";
import { describeRunStoreContract } from "./contract/run-store.contract.js";
import { describeSecretStoreContract } from "./contract/secret-store.contract.js";
import { describeStoresContract } from "./contract/stores.contract.js";
import { describeTagStoreContract } from "./contract/tag-store.contract.js";
import { describeWorkQueueContract } from "./contract/work-queue.contract.js";
import type { Stores } from "./types.js";

/** What an implementation's test hands the suite: fresh, empty stores for one test. */
export interface OpenedStores {
  readonly stores: Stores;
  /**
   * Closes the stores and opens the same data again, as a restarted process would. Absent for
   * implementations that keep nothing across a restart; the durability tests then skip and say so.
   */
  readonly reopen?: () => Promise<Stores>;
  /** Closes whatever is open (the suite may already have closed it) and deletes the data. */
  readonly cleanup: () => Promise<void>;
}

/**
 * The behaviour every Stores implementation must show (types.ts states the contract in words).
 * An implementation's test file is one call:
 *
 *     describeStoreContract("sqlite", async () => ({ stores, reopen, cleanup }));
 *
 * `open` runs before every test, so tests never see each other's data.
 */
export function describeStoreContract(name: string, open: () => Promise<OpenedStores>): void {
  describe(`${name} stores`, () => {
    let opened: OpenedStores | undefined;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });
    const current = (): OpenedStores => {
      if (!opened) throw new Error("store contract: no stores are open outside a test");
      return opened;
    };

    describePipelineStoreContract(current);
    describePipelineListContract(current);
    describeActionTypeStoreContract(current);
    describeTagStoreContract(current);
    describeConnectionStoreContract(current);
    describeParameterStoreContract(current);
    describeSecretStoreContract(current);
    describeBuildStoreContract(current);
    describeStoresContract(current);
    describeDurabilityContract(current);
    describeRunStoreContract(current);
    describeWorkQueueContract(current);
    describeObjectStoreContract(current);
    describeRepositoryStoreContract(current);
    describeRegistryStoreContract(current);
    describeEcsStoreContract(current);
    describeFunctionStoreContract(current);
  });
}
