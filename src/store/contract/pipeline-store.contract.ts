import { describe, expect, it } from "vitest";
import {
  type CurrentStores,
  declaration,
  markerOf,
  otherAccount,
  otherRegion,
  pipelineRecord,
  scope,
  T0,
  tryToMutate,
} from "./builders.contract.js";

export function describePipelineStoreContract(current: CurrentStores): void {
  describe("pipelines", () => {
    it("reads a created pipeline back as version 1", async () => {
      const { pipelines } = current().stores;
      const record = pipelineRecord("app");
      expect(await pipelines.create(record)).toEqual({ ok: true });
      expect(await pipelines.get(scope, "app")).toEqual(record);
      expect(await pipelines.get(scope, "app", 1)).toEqual(record);
    });

    it("refuses to create a name already in use in the scope and keeps the stored pipeline", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app", { marker: "original" }));
      const again = await pipelines.create(pipelineRecord("app", { marker: "intruder", created: T0 + 1 }));
      expect(again).toEqual({ ok: false, reason: "NameInUse" });
      const stored = await pipelines.get(scope, "app");
      expect(markerOf(stored)).toBe("original");
      expect(stored?.created).toBe(T0);
    });

    it("treats the same name in another region or another account as a different pipeline", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app", { marker: "east" }));
      expect(await pipelines.create(pipelineRecord("app", { scope: otherRegion, marker: "west" }))).toEqual({
        ok: true,
      });
      expect(await pipelines.create(pipelineRecord("app", { scope: otherAccount, marker: "other" }))).toEqual(
        {
          ok: true,
        },
      );
      await pipelines.update(otherRegion, "app", 1, declaration("app", "west 2"), T0 + 5);
      expect(markerOf(await pipelines.get(scope, "app"))).toBe("east");
      expect(markerOf(await pipelines.get(otherRegion, "app"))).toBe("west 2");
      expect((await pipelines.get(otherRegion, "app"))?.scope).toEqual(otherRegion);
      expect(markerOf(await pipelines.get(otherAccount, "app"))).toBe("other");
      expect(await pipelines.remove(otherAccount, "app")).toBe(true);
      expect(await pipelines.get(scope, "app")).toBeDefined();
    });

    it("returns undefined for a missing pipeline and for a version that does not exist", async () => {
      const { pipelines } = current().stores;
      expect(await pipelines.get(scope, "missing")).toBeUndefined();
      await pipelines.create(pipelineRecord("app"));
      await pipelines.update(scope, "app", 1, declaration("app", "second"), T0 + 1);
      expect(await pipelines.get(scope, "app", 3)).toBeUndefined();
      expect(await pipelines.get(scope, "app", 0)).toBeUndefined();
      expect(await pipelines.get(scope, "missing", 1)).toBeUndefined();
    });

    it("stores an update as the next version and keeps every earlier version readable", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app", { marker: "v1" }));
      const second = await pipelines.update(scope, "app", 1, declaration("app", "v2"), T0 + 10);
      const third = await pipelines.update(scope, "app", 2, declaration("app", "v3"), T0 + 20);
      expect(second.ok && second.record.version).toBe(2);
      expect(third.ok && third.record).toEqual(await pipelines.get(scope, "app"));
      expect((await pipelines.get(scope, "app"))?.version).toBe(3);
      expect(markerOf(await pipelines.get(scope, "app", 1))).toBe("v1");
      expect(markerOf(await pipelines.get(scope, "app", 2))).toBe("v2");
      expect(markerOf(await pipelines.get(scope, "app", 3))).toBe("v3");
    });

    it("answers the current version number alone, and undefined for a missing or removed pipeline", async () => {
      const { pipelines } = current().stores;
      expect(await pipelines.currentVersion(scope, "app")).toBeUndefined();
      await pipelines.create(pipelineRecord("app"));
      expect(await pipelines.currentVersion(scope, "app")).toBe(1);
      await pipelines.update(scope, "app", 1, declaration("app", "v2"), T0 + 10);
      expect(await pipelines.currentVersion(scope, "app")).toBe(2);
      expect(await pipelines.currentVersion(otherRegion, "app")).toBeUndefined();
      await pipelines.remove(scope, "app");
      expect(await pipelines.currentVersion(scope, "app")).toBeUndefined();
    });

    it("keeps created from version 1 and moves updated with each update", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app", { created: T0 }));
      await pipelines.update(scope, "app", 1, declaration("app"), T0 + 10);
      await pipelines.update(scope, "app", 2, declaration("app"), T0 + 20);
      const [v1, v2, v3] = await Promise.all([1, 2, 3].map((v) => pipelines.get(scope, "app", v)));
      expect([v1?.created, v2?.created, v3?.created]).toEqual([T0, T0, T0]);
      expect([v1?.updated, v2?.updated, v3?.updated]).toEqual([T0, T0 + 10, T0 + 20]);
    });

    it("stores each declaration with its version number, whatever version the caller's declaration had", async () => {
      const { pipelines } = current().stores;
      const record = pipelineRecord("app");
      await pipelines.create({ ...record, declaration: { ...record.declaration, version: undefined } });
      expect((await pipelines.get(scope, "app"))?.declaration.version).toBe(1);
      const updated = await pipelines.update(scope, "app", 1, { ...declaration("app"), version: 7 }, T0 + 1);
      expect(updated.ok && updated.record.declaration.version).toBe(2);
      expect((await pipelines.get(scope, "app", 2))?.declaration.version).toBe(2);
    });

    it("reports a stale expected version as VersionConflict and changes nothing", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app", { marker: "v1" }));
      await pipelines.update(scope, "app", 1, declaration("app", "v2"), T0 + 10);
      const stale = await pipelines.update(scope, "app", 1, declaration("app", "stale"), T0 + 20);
      expect(stale).toEqual({ ok: false, reason: "VersionConflict" });
      const ahead = await pipelines.update(scope, "app", 5, declaration("app", "ahead"), T0 + 20);
      expect(ahead).toEqual({ ok: false, reason: "VersionConflict" });
      const stored = await pipelines.get(scope, "app");
      expect([stored?.version, markerOf(stored), stored?.updated]).toEqual([2, "v2", T0 + 10]);
      expect(await pipelines.get(scope, "app", 3)).toBeUndefined();
    });

    it("reports an update of a missing pipeline as NotFound and creates nothing", async () => {
      const { pipelines } = current().stores;
      const result = await pipelines.update(scope, "ghost", 1, declaration("ghost"), T0);
      expect(result).toEqual({ ok: false, reason: "NotFound" });
      expect(await pipelines.get(scope, "ghost")).toBeUndefined();
      expect(await pipelines.count(scope)).toBe(0);
    });

    it("lets exactly one of 20 concurrent updates with the same expected version win", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app"));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          pipelines.update(scope, "app", 1, declaration("app", `writer ${i}`), T0 + i),
        ),
      );
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === "VersionConflict")).toHaveLength(19);
      const stored = await pipelines.get(scope, "app");
      expect(stored?.version).toBe(2);
      expect(markerOf(stored)).toBe(winners[0]?.ok ? markerOf(winners[0].record) : "no winner");
      expect(await pipelines.get(scope, "app", 3)).toBeUndefined();
    });

    it("lets exactly one of 20 concurrent creates of the same name succeed", async () => {
      const { pipelines } = current().stores;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          pipelines.create(pipelineRecord("app", { marker: `creator ${i}` })),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === "NameInUse")).toHaveLength(19);
      expect(await pipelines.count(scope)).toBe(1);
    });

    it("removes every version, and returns false when there is nothing left to remove", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app"));
      await pipelines.update(scope, "app", 1, declaration("app", "v2"), T0 + 1);
      expect(await pipelines.remove(scope, "app")).toBe(true);
      expect(await pipelines.get(scope, "app")).toBeUndefined();
      expect(await pipelines.get(scope, "app", 1)).toBeUndefined();
      expect(await pipelines.get(scope, "app", 2)).toBeUndefined();
      expect(await pipelines.remove(scope, "app")).toBe(false);
      expect(await pipelines.remove(scope, "never-existed")).toBe(false);
    });

    it("starts a removed name again from version 1 when it is created anew", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app", { marker: "old" }));
      await pipelines.update(scope, "app", 1, declaration("app", "old v2"), T0 + 1);
      await pipelines.remove(scope, "app");
      expect(await pipelines.create(pipelineRecord("app", { marker: "new", created: T0 + 100 }))).toEqual({
        ok: true,
      });
      const stored = await pipelines.get(scope, "app");
      expect([stored?.version, markerOf(stored), stored?.created]).toEqual([1, "new", T0 + 100]);
      expect(await pipelines.get(scope, "app", 2)).toBeUndefined();
      expect(await pipelines.update(scope, "app", 2, declaration("app"), T0 + 200)).toEqual({
        ok: false,
        reason: "VersionConflict",
      });
    });

    it("counts only the scope's own pipelines", async () => {
      const { pipelines } = current().stores;
      expect(await pipelines.count(scope)).toBe(0);
      for (const name of ["a", "b", "c"]) await pipelines.create(pipelineRecord(name));
      await pipelines.update(scope, "a", 1, declaration("a"), T0 + 1);
      await pipelines.create(pipelineRecord("a", { scope: otherRegion }));
      await pipelines.create(pipelineRecord("d", { scope: otherAccount }));
      expect(await pipelines.count(scope)).toBe(3);
      expect(await pipelines.count(otherRegion)).toBe(1);
      await pipelines.remove(scope, "b");
      expect(await pipelines.count(scope)).toBe(2);
    });

    it("never changes a record it has returned when the pipeline is later updated or removed", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(pipelineRecord("app", { marker: "v1" }));
      const before = await pipelines.get(scope, "app");
      const snapshot = structuredClone(before);
      const page = await pipelines.list(scope, { limit: 10 });
      const pageSnapshot = structuredClone(page);
      const updated = await pipelines.update(scope, "app", 1, declaration("app", "v2"), T0 + 1);
      const updatedSnapshot = structuredClone(updated);
      await pipelines.update(scope, "app", 2, declaration("app", "v3"), T0 + 2);
      await pipelines.remove(scope, "app");
      expect(before).toEqual(snapshot);
      expect(page).toEqual(pageSnapshot);
      expect(updated).toEqual(updatedSnapshot);
    });

    it("keeps stored state apart from the objects callers hand in and get back", async () => {
      const { pipelines } = current().stores;
      const record = pipelineRecord("app", { marker: "stored" });
      await pipelines.create(record);
      const handedIn = declaration("app", "v2");
      await pipelines.update(scope, "app", 1, handedIn, T0 + 1);
      // Edit everything the caller still holds or received.
      tryToMutate(() => {
        record.declaration.stages[0]!.actions[0]!.configuration!.Marker = "edited input";
      });
      tryToMutate(() => {
        handedIn.stages[0]!.actions[0]!.configuration!.Marker = "edited update";
      });
      const got = await pipelines.get(scope, "app", 1);
      tryToMutate(() => {
        got!.declaration.stages[0]!.actions[0]!.configuration!.Marker = "edited output";
      });
      tryToMutate(() => {
        got!.declaration.stages.pop();
      });
      expect(markerOf(await pipelines.get(scope, "app", 1))).toBe("stored");
      expect((await pipelines.get(scope, "app", 1))?.declaration.stages).toHaveLength(2);
      expect(markerOf(await pipelines.get(scope, "app", 2))).toBe("v2");
    });
  });
}
