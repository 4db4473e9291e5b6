import { describe, expect, it } from "vitest";
import {
  actionTypeSpec,
  type CurrentStores,
  declaration,
  markerOf,
  otherRegion,
  pipelineRecord,
  scope,
  T0,
} from "./builders.contract.js";

const arn = "arn:aws:codepipeline:us-east-1:111111111111:kept";

export function describeDurabilityContract(current: CurrentStores): void {
  describe("durability", () => {
    it("still has every pipeline version, action type and tag after reopening", async ({ skip }) => {
      const { stores, reopen } = current();
      if (!reopen) skip("these stores keep nothing across a restart, so there is nothing to reopen");
      const { pipelines, actionTypes, tags } = stores;
      await pipelines.create(pipelineRecord("kept", { marker: "v1", created: T0 }));
      await pipelines.update(scope, "kept", 1, declaration("kept", "v2"), T0 + 10);
      await pipelines.create(pipelineRecord("kept", { scope: otherRegion, marker: "west" }));
      await pipelines.create(pipelineRecord("removed"));
      await pipelines.remove(scope, "removed");
      await actionTypes.create({ scope, spec: actionTypeSpec("Live"), created: T0 });
      await actionTypes.create({ scope, spec: actionTypeSpec("Gone"), created: T0 });
      await actionTypes.markDeleted(scope, actionTypeSpec("Gone").id, T0 + 5);
      await tags.put(arn, [{ key: "team", value: "platform" }]);
      await tags.put(`${arn}-cleared`, [{ key: "a", value: "b" }]);
      await tags.put(`${arn}-cleared`, []);

      const again = await reopen!();

      const kept = await again.pipelines.get(scope, "kept");
      expect([kept?.version, markerOf(kept), kept?.created, kept?.updated]).toEqual([2, "v2", T0, T0 + 10]);
      expect(markerOf(await again.pipelines.get(scope, "kept", 1))).toBe("v1");
      expect(markerOf(await again.pipelines.get(otherRegion, "kept"))).toBe("west");
      expect(await again.pipelines.get(scope, "removed")).toBeUndefined();
      expect((await again.pipelines.list(scope, { limit: 10 })).items.map((i) => i.name)).toEqual(["kept"]);
      expect(await again.pipelines.count(scope)).toBe(1);
      expect((await again.actionTypes.list(scope)).map((r) => [r.spec.id.provider, r.deleted])).toEqual([
        ["Gone", T0 + 5],
        ["Live", undefined],
      ]);
      expect(await again.tags.get(arn)).toEqual([{ key: "team", value: "platform" }]);
      expect(await again.tags.get(`${arn}-cleared`)).toEqual([]);
      // The reopened stores take writes too, continuing where the old ones stopped.
      const next = await again.pipelines.update(scope, "kept", 2, declaration("kept", "v3"), T0 + 20);
      expect(next.ok && next.record.version).toBe(3);
    });
  });
}
