import { describe, expect, it } from "vitest";
import { actionTypeSpec, type CurrentStores, pipelineRecord, scope } from "./builders.contract.js";

export function describeStoresContract(current: CurrentStores): void {
  describe("lifecycle", () => {
    it("rejects calls after close, and closing twice is harmless", async () => {
      const { stores } = current();
      await stores.pipelines.create(pipelineRecord("app"));
      await stores.close();
      await expect(stores.pipelines.get(scope, "app")).rejects.toThrow();
      await expect(stores.pipelines.create(pipelineRecord("other"))).rejects.toThrow();
      await expect(stores.pipelines.list(scope, { limit: 1 })).rejects.toThrow();
      await expect(stores.actionTypes.list(scope)).rejects.toThrow();
      await expect(
        stores.actionTypes.create({ scope, spec: actionTypeSpec("X"), created: 0 }),
      ).rejects.toThrow();
      await expect(stores.tags.put("arn", [])).rejects.toThrow();
      await expect(stores.runs.getLanes(scope, "app")).rejects.toThrow();
      await expect(
        stores.runs.commit({ scope, pipelineName: "app", executions: [], now: 0 }),
      ).rejects.toThrow();
      await expect(stores.close()).resolves.toBeUndefined();
    });
  });
}
