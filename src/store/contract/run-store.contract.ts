import { describe } from "vitest";
import type { CurrentStores } from "./builders.contract.js";
import { describeRunClaimsContract } from "./run-store-claims.contract.js";
import { describeRunCommitContract } from "./run-store-commit.contract.js";
import { describeRunJobLifecycleContract } from "./run-store-job-lifecycle.contract.js";
import { describeRunKeepingContract } from "./run-store-keeping.contract.js";
import { describeRunQueriesContract } from "./run-store-queries.contract.js";

/**
 * RunStore's behaviour (types.ts states it in words): atomic, optimistic commits of executions,
 * lanes and jobs; the reads and sweeps over them; job claims, acknowledgements and leases;
 * removal, isolation of records, and durability across a reopen.
 */
export function describeRunStoreContract(current: CurrentStores): void {
  describe("runs", () => {
    describeRunCommitContract(current);
    describeRunQueriesContract(current);
    describeRunClaimsContract(current);
    describeRunJobLifecycleContract(current);
    describeRunKeepingContract(current);
  });
}
