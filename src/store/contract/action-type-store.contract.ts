import { describe, expect, it } from "vitest";
import { actionTypeSpec, type CurrentStores, otherRegion, scope, T0 } from "./builders.contract.js";

export function describeActionTypeStoreContract(current: CurrentStores): void {
  describe("custom action types", () => {
    it("reads a created action type back, live", async () => {
      const { actionTypes } = current().stores;
      const spec = actionTypeSpec("Builder");
      expect(await actionTypes.create({ scope, spec, created: T0 })).toEqual({ ok: true });
      const stored = await actionTypes.get(scope, spec.id);
      expect(stored).toEqual({ scope, spec, created: T0 });
      expect(stored?.deleted).toBeUndefined();
      expect(await actionTypes.get(scope, { ...spec.id, version: "2" })).toBeUndefined();
    });

    it("refuses an id that a live type of the scope already has and keeps the stored one", async () => {
      const { actionTypes } = current().stores;
      const spec = actionTypeSpec("Builder", "1", "Build", "original");
      await actionTypes.create({ scope, spec, created: T0 });
      const again = await actionTypes.create({
        scope,
        spec: actionTypeSpec("Builder", "1", "Build", "intruder"),
        created: T0 + 1,
      });
      expect(again).toEqual({ ok: false, reason: "NameInUse" });
      expect(await actionTypes.get(scope, spec.id)).toEqual({ scope, spec, created: T0 });
    });

    it("marks a live type deleted once, and reports false for a deleted or unknown type", async () => {
      const { actionTypes } = current().stores;
      const spec = actionTypeSpec("Builder");
      await actionTypes.create({ scope, spec, created: T0 });
      expect(await actionTypes.markDeleted(scope, spec.id, T0 + 10)).toBe(true);
      expect(await actionTypes.get(scope, spec.id)).toEqual({ scope, spec, created: T0, deleted: T0 + 10 });
      expect(await actionTypes.markDeleted(scope, spec.id, T0 + 20)).toBe(false);
      expect((await actionTypes.get(scope, spec.id))?.deleted).toBe(T0 + 10);
      expect(await actionTypes.markDeleted(scope, actionTypeSpec("Unknown").id, T0)).toBe(false);
    });

    it("restores a deleted type when it is created again, with the new record's spec and time", async () => {
      const { actionTypes } = current().stores;
      await actionTypes.create({
        scope,
        spec: actionTypeSpec("Builder", "1", "Build", "before"),
        created: T0,
      });
      await actionTypes.markDeleted(scope, actionTypeSpec("Builder").id, T0 + 10);
      const revived = actionTypeSpec("Builder", "1", "Build", "after");
      expect(await actionTypes.create({ scope, spec: revived, created: T0 + 20 })).toEqual({ ok: true });
      const stored = await actionTypes.get(scope, revived.id);
      expect(stored).toEqual({ scope, spec: revived, created: T0 + 20 });
      expect(stored).not.toHaveProperty("deleted");
      expect(await actionTypes.create({ scope, spec: revived, created: T0 + 30 })).toEqual({
        ok: false,
        reason: "NameInUse",
      });
    });

    it("lists every type of the scope, deleted ones included, by category, provider and version", async () => {
      const { actionTypes } = current().stores;
      const specs = [
        actionTypeSpec("Zeta", "1", "Test"),
        actionTypeSpec("Beta", "2", "Build"),
        actionTypeSpec("Alpha", "2", "Build"),
        actionTypeSpec("Alpha", "10", "Build"),
        actionTypeSpec("Alpha", "1", "Deploy"),
      ];
      for (const spec of specs) await actionTypes.create({ scope, spec, created: T0 });
      await actionTypes.markDeleted(scope, actionTypeSpec("Beta", "2", "Build").id, T0 + 5);
      const listed = await actionTypes.list(scope);
      expect(listed.map((r) => `${r.spec.id.category}/${r.spec.id.provider}/${r.spec.id.version}`)).toEqual([
        "Build/Alpha/10",
        "Build/Alpha/2",
        "Build/Beta/2",
        "Deploy/Alpha/1",
        "Test/Zeta/1",
      ]);
      expect(listed.map((r) => r.deleted)).toEqual([undefined, undefined, T0 + 5, undefined, undefined]);
    });

    it("keeps each region's action types apart", async () => {
      const { actionTypes } = current().stores;
      const spec = actionTypeSpec("Builder");
      await actionTypes.create({ scope, spec, created: T0 });
      expect(await actionTypes.create({ scope: otherRegion, spec, created: T0 + 1 })).toEqual({ ok: true });
      await actionTypes.markDeleted(otherRegion, spec.id, T0 + 2);
      expect((await actionTypes.get(scope, spec.id))?.deleted).toBeUndefined();
      expect((await actionTypes.get(otherRegion, spec.id))?.deleted).toBe(T0 + 2);
      await actionTypes.create({ scope, spec: actionTypeSpec("EastOnly"), created: T0 });
      expect((await actionTypes.list(otherRegion)).map((r) => r.spec.id.provider)).toEqual(["Builder"]);
      expect((await actionTypes.list(otherRegion))[0]?.scope).toEqual(otherRegion);
    });

    it("never changes a record it has returned when the type is later deleted", async () => {
      const { actionTypes } = current().stores;
      const spec = actionTypeSpec("Builder");
      await actionTypes.create({ scope, spec, created: T0 });
      const before = await actionTypes.get(scope, spec.id);
      const listed = await actionTypes.list(scope);
      await actionTypes.markDeleted(scope, spec.id, T0 + 1);
      expect(before?.deleted).toBeUndefined();
      expect(listed[0]?.deleted).toBeUndefined();
    });
  });
}
