import { describe, expect, it } from "vitest";
import type { SecretRecord, SecretVersionRecord } from "../types.js";
import { type CurrentStores, otherRegion, scope, T0 } from "./builders.contract.js";

const secret = (name: string, extra: Partial<SecretRecord> = {}): SecretRecord => ({
  scope,
  name,
  arn: `arn:aws:secretsmanager:us-east-1:111111111111:secret:${name}-AbC123`,
  tags: [{ Key: "team", Value: "platform" }],
  created: T0,
  lastChanged: T0,
  ...extra,
});

const version = (n: number, stages: string[] = ["AWSCURRENT"]): SecretVersionRecord => ({
  versionId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  stages,
  created: T0 + n,
  sealedString: `sealed-${n}`,
});
const id = (n: number) => version(n).versionId;

export function describeSecretStoreContract(current: CurrentStores): void {
  describe("secrets", () => {
    it("creates a secret with its first version; the name stays taken", async () => {
      const { secrets } = current().stores;
      const record = secret("db", { description: "the database" });
      expect(await secrets.create(record, version(1))).toEqual({ ok: true });
      expect(await secrets.create(secret("db"))).toEqual({ ok: false, reason: "NameInUse" });
      expect(await secrets.get(scope, "db")).toEqual(record);
      expect(await secrets.get(otherRegion, "db")).toBeUndefined();
      expect(await secrets.versions(scope, "db")).toEqual([
        { versionId: id(1), stages: ["AWSCURRENT"], created: T0 + 1 },
      ]);
      expect(await secrets.getVersion(scope, "db", id(1))).toEqual(version(1));
      expect(await secrets.getVersion(scope, "db", id(2))).toBeUndefined();
    });

    it("creates a secret without a value, then adds its first version", async () => {
      const { secrets } = current().stores;
      await secrets.create(secret("empty"));
      expect(await secrets.versions(scope, "empty")).toEqual([]);
      const added = await secrets.addVersion(scope, "empty", version(1), T0 + 50);
      expect(added).toEqual({
        ok: true,
        versions: [{ versionId: id(1), stages: ["AWSCURRENT"], created: T0 + 1 }],
      });
      expect((await secrets.get(scope, "empty"))?.lastChanged).toBe(T0 + 50);
    });

    it("moves AWSCURRENT to a new version and AWSPREVIOUS to the one before", async () => {
      const { secrets } = current().stores;
      await secrets.create(secret("rotating"), version(1));
      await secrets.addVersion(scope, "rotating", version(2), T0);
      const third = await secrets.addVersion(scope, "rotating", version(3), T0);
      expect(third).toEqual({
        ok: true,
        versions: [
          { versionId: id(1), stages: [], created: T0 + 1 },
          { versionId: id(2), stages: ["AWSPREVIOUS"], created: T0 + 2 },
          { versionId: id(3), stages: ["AWSCURRENT"], created: T0 + 3 },
        ],
      });
      expect(await secrets.versions(scope, "rotating")).toEqual(third.ok ? third.versions : []);
      expect((await secrets.getVersion(scope, "rotating", id(2)))?.sealedString).toBe("sealed-2");
    });

    it("moves other labels without touching AWSCURRENT", async () => {
      const { secrets } = current().stores;
      await secrets.create(secret("staged"), version(1));
      await secrets.addVersion(scope, "staged", version(2, ["AWSPENDING"]), T0);
      await secrets.addVersion(scope, "staged", version(3, ["AWSPENDING", "blue"]), T0);
      expect((await secrets.versions(scope, "staged")).map((v) => v.stages)).toEqual([
        ["AWSCURRENT"],
        [],
        ["AWSPENDING", "blue"],
      ]);
    });

    it("refuses a version id that exists, handing back that version", async () => {
      const { secrets } = current().stores;
      await secrets.create(secret("once"), version(1));
      const again = await secrets.addVersion(scope, "once", { ...version(1), sealedString: "other" }, T0);
      expect(again).toEqual({ ok: false, reason: "VersionExists", existing: version(1) });
      expect(await secrets.addVersion(scope, "missing", version(1), T0)).toEqual({
        ok: false,
        reason: "NotFound",
      });
    });

    it("schedules deletion, refuses new versions meanwhile, and cancels it", async () => {
      const { secrets } = current().stores;
      await secrets.create(secret("doomed"), version(1));
      const scheduled = await secrets.scheduleDeletion(scope, "doomed", T0 + 7 * 86_400_000, T0 + 10);
      expect(scheduled).toEqual({
        ok: true,
        record: secret("doomed", { deletionDate: T0 + 7 * 86_400_000, lastChanged: T0 + 10 }),
      });
      expect(await secrets.scheduleDeletion(scope, "doomed", T0, T0)).toEqual({
        ok: false,
        reason: "MarkedForDeletion",
      });
      expect(await secrets.addVersion(scope, "doomed", version(2), T0)).toEqual({
        ok: false,
        reason: "MarkedForDeletion",
      });
      expect(await secrets.create(secret("doomed"))).toEqual({ ok: false, reason: "NameInUse" });
      expect(await secrets.cancelDeletion(scope, "doomed", T0 + 20)).toEqual(
        secret("doomed", { lastChanged: T0 + 20 }),
      );
      expect(await secrets.get(scope, "doomed")).toEqual(secret("doomed", { lastChanged: T0 + 20 }));
      expect(await secrets.cancelDeletion(scope, "nothing", T0)).toBeUndefined();
      expect(await secrets.scheduleDeletion(scope, "nothing", T0, T0)).toEqual({
        ok: false,
        reason: "NotFound",
      });
    });

    it("removes a secret with its versions; the name is free again", async () => {
      const { secrets } = current().stores;
      await secrets.create(secret("temp"), version(1));
      await secrets.addVersion(scope, "temp", version(2), T0);
      expect(await secrets.remove(scope, "temp")).toBe(true);
      expect(await secrets.remove(scope, "temp")).toBe(false);
      expect(await secrets.get(scope, "temp")).toBeUndefined();
      expect(await secrets.versions(scope, "temp")).toEqual([]);
      expect(await secrets.getVersion(scope, "temp", id(1))).toBeUndefined();
      expect(await secrets.create(secret("temp"), version(1))).toEqual({ ok: true });
      expect((await secrets.versions(scope, "temp")).map((v) => v.versionId)).toEqual([id(1)]);
    });

    it("keeps at most 100 versions, dropping the oldest without labels", async () => {
      const { secrets } = current().stores;
      await secrets.create(secret("many"), version(1, ["keep"]));
      for (let n = 2; n <= 102; n++) await secrets.addVersion(scope, "many", version(n), T0);
      const versions = await secrets.versions(scope, "many");
      expect(versions).toHaveLength(100);
      expect(versions.slice(0, 2).map((v) => v.versionId)).toEqual([id(1), id(4)]);
      expect(versions.at(-1)).toEqual({ versionId: id(102), stages: ["AWSCURRENT"], created: T0 + 102 });
      expect(await secrets.getVersion(scope, "many", id(2))).toBeUndefined();
    });

    it("lists one scope's secrets in byte order, page by page, scheduled ones included", async () => {
      const { secrets } = current().stores;
      for (const name of ["c", "a", "\u{1F600}", "\uFFFD", "b"]) await secrets.create(secret(name));
      await secrets.create(secret("z", { scope: otherRegion }));
      await secrets.scheduleDeletion(scope, "b", T0, T0);
      const first = await secrets.list(scope, { limit: 3 });
      expect(first.items.map((s) => s.name)).toEqual(["a", "b", "c"]);
      expect(first.items[1]?.deletionDate).toBe(T0);
      const second = await secrets.list(scope, { after: first.nextAfter!, limit: 3 });
      expect(second.items.map((s) => s.name)).toEqual(["\uFFFD", "\u{1F600}"]);
      expect(second.nextAfter).toBeUndefined();
    });
  });
}
