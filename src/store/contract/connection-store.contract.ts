import { describe, expect, it } from "vitest";
import type { ConnectionRecord } from "../types.js";
import { type CurrentStores, otherRegion, scope } from "./builders.contract.js";

const connection = (n: number, extra: Partial<ConnectionRecord> = {}): ConnectionRecord => ({
  scope,
  connectionId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  connectionName: `conn-${n}`,
  providerType: "GitHub",
  tags: [{ Key: "team", Value: "platform" }],
  created: 1_000 + n,
  ...extra,
});

export function describeConnectionStoreContract(current: CurrentStores): void {
  describe("connections", () => {
    it("stores, gets and removes a connection by scope and id", async () => {
      const { connections } = current().stores;
      const c = connection(1, {
        repositoryRoot: "/srv/git",
        hostArn: "arn:aws:codestar-connections:us-east-1:111111111111:host/x",
      });
      expect(await connections.create(c)).toEqual({ ok: true });
      expect(await connections.create(c)).toEqual({ ok: false, reason: "NameInUse" });
      expect(await connections.get(scope, c.connectionId)).toEqual(c);
      expect(await connections.get(otherRegion, c.connectionId)).toBeUndefined();
      expect(await connections.remove(scope, c.connectionId)).toBe(true);
      expect(await connections.remove(scope, c.connectionId)).toBe(false);
      expect(await connections.get(scope, c.connectionId)).toBeUndefined();
    });

    it("lists in creation order, one scope at a time, page by page", async () => {
      const { connections } = current().stores;
      for (const n of [3, 1, 2]) await connections.create(connection(n));
      await connections.create(connection(9, { scope: otherRegion }));
      const first = await connections.list(scope, { limit: 2 });
      expect(first.items.map((c) => c.connectionName)).toEqual(["conn-1", "conn-2"]);
      const second = await connections.list(scope, { after: first.nextAfter!, limit: 2 });
      expect(second.items.map((c) => c.connectionName)).toEqual(["conn-3"]);
      expect(second.nextAfter).toBeUndefined();
    });
  });
}
