import { describe, expect, it } from "vitest";
import type { PipelineStore, Scope } from "../types.js";
import {
  type CurrentStores,
  declaration,
  otherAccount,
  otherRegion,
  pipelineRecord,
  scope,
  T0,
} from "./builders.contract.js";

async function createAll(
  pipelines: PipelineStore,
  names: readonly string[],
  where: Scope = scope,
): Promise<void> {
  for (const name of names) await pipelines.create(pipelineRecord(name, { scope: where }));
}

async function listAll(pipelines: PipelineStore, where: Scope, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | undefined;
  do {
    const page = await pipelines.list(where, after === undefined ? { limit } : { after, limit });
    pages.push(page.items.map((item) => item.name));
    after = page.nextAfter;
  } while (after !== undefined && pages.length < 10_000);
  return pages;
}

export function describePipelineListContract(current: CurrentStores): void {
  describe("pipeline list", () => {
    it("names every scope that holds a pipeline, once, in account then region order", async () => {
      const { pipelines } = current().stores;
      expect(await pipelines.scopes()).toEqual([]);
      await createAll(pipelines, ["a", "b"], otherRegion);
      await createAll(pipelines, ["a", "c"]);
      await createAll(pipelines, ["z"], otherAccount);
      await createAll(pipelines, ["gone"], { accountId: "999999999999", region: "us-east-1" });
      await pipelines.remove({ accountId: "999999999999", region: "us-east-1" }, "gone");
      const expected = [scope, otherRegion, otherAccount].sort((x, y) =>
        x.accountId === y.accountId ? (x.region < y.region ? -1 : 1) : x.accountId < y.accountId ? -1 : 1,
      );
      expect(await pipelines.scopes()).toEqual(expected);
    });

    it("lists names in ascending byte order, not locale or UTF-16 order", async () => {
      const { pipelines } = current().stores;
      const names = ["b", "B", "_x", "a", "-x", ".x", "0", "@x", "Z", "ab", "a-", "\uFF21", "\u{1F600}"];
      await createAll(pipelines, names);
      const page = await pipelines.list(scope, { limit: 100 });
      // UTF-8 bytes: '-' 2D, '.' 2E, '0' 30, '@' 40, 'B' 42, 'Z' 5A, '_' 5F, 'a' 61 …, U+FF21 is
      // EF BC A1 and U+1F600 is F0 9F 98 80 (UTF-16 would put the emoji first).
      expect(page.items.map((item) => item.name)).toEqual([
        "-x",
        ".x",
        "0",
        "@x",
        "B",
        "Z",
        "_x",
        "a",
        "a-",
        "ab",
        "b",
        "\uFF21",
        "\u{1F600}",
      ]);
      expect(page.nextAfter).toBeUndefined();
    });

    it("pages with after and limit, giving nextAfter only while more pipelines remain", async () => {
      const { pipelines } = current().stores;
      await createAll(pipelines, ["e", "c", "a", "d", "b"]);
      const first = await pipelines.list(scope, { limit: 2 });
      expect(first.items.map((i) => i.name)).toEqual(["a", "b"]);
      expect(first.nextAfter).toBe("b");
      const second = await pipelines.list(scope, { after: "b", limit: 2 });
      expect(second.items.map((i) => i.name)).toEqual(["c", "d"]);
      expect(second.nextAfter).toBe("d");
      const last = await pipelines.list(scope, { after: "d", limit: 2 });
      expect(last.items.map((i) => i.name)).toEqual(["e"]);
      expect(last).not.toHaveProperty("nextAfter");
    });

    it("gives no nextAfter when the last page is exactly full", async () => {
      const { pipelines } = current().stores;
      await createAll(pipelines, ["a", "b", "c", "d"]);
      expect(await listAll(pipelines, scope, 2)).toEqual([
        ["a", "b"],
        ["c", "d"],
      ]);
      const all = await pipelines.list(scope, { limit: 4 });
      expect(all.nextAfter).toBeUndefined();
    });

    it("starts after a name that does not exist, and returns an empty last page past the end", async () => {
      const { pipelines } = current().stores;
      await createAll(pipelines, ["apple", "banana", "cherry"]);
      expect((await pipelines.list(scope, { after: "b", limit: 10 })).items.map((i) => i.name)).toEqual([
        "banana",
        "cherry",
      ]);
      expect(await pipelines.list(scope, { after: "zzz", limit: 10 })).toEqual({ items: [] });
      expect(await pipelines.list(otherRegion, { limit: 10 })).toEqual({ items: [] });
    });

    it("shows only the scope's own pipelines", async () => {
      const { pipelines } = current().stores;
      await createAll(pipelines, ["shared", "east-only"]);
      await createAll(pipelines, ["shared", "west-only"], otherRegion);
      await createAll(pipelines, ["other-account"], otherAccount);
      expect(await listAll(pipelines, scope, 10)).toEqual([["east-only", "shared"]]);
      expect(await listAll(pipelines, otherRegion, 10)).toEqual([["shared", "west-only"]]);
      expect(await listAll(pipelines, otherAccount, 1)).toEqual([["other-account"]]);
    });

    it("summarises each pipeline's current version with its timestamps, type and execution mode", async () => {
      const { pipelines } = current().stores;
      await pipelines.create(
        pipelineRecord("typed", { created: T0, extra: { pipelineType: "V2", executionMode: "QUEUED" } }),
      );
      await pipelines.update(
        scope,
        "typed",
        1,
        declaration("typed", "v2", { pipelineType: "V2", executionMode: "PARALLEL" }),
        T0 + 50,
      );
      await pipelines.create(pipelineRecord("plain", { created: T0 + 1 }));
      const page = await pipelines.list(scope, { limit: 10 });
      expect(page.items).toEqual([
        { name: "plain", version: 1, created: T0 + 1, updated: T0 + 1 },
        {
          name: "typed",
          version: 2,
          created: T0,
          updated: T0 + 50,
          pipelineType: "V2",
          executionMode: "PARALLEL",
        },
      ]);
    });

    it("drops removed pipelines from the list", async () => {
      const { pipelines } = current().stores;
      await createAll(pipelines, ["a", "b", "c"]);
      await pipelines.remove(scope, "b");
      expect(await listAll(pipelines, scope, 10)).toEqual([["a", "c"]]);
    });

    it("visits each of 1,200 pipelines exactly once, in order, when paging 100 at a time", async () => {
      const { pipelines } = current().stores;
      const names = Array.from(
        { length: 1200 },
        (_, i) => `pipeline-${String((i * 7919) % 1200).padStart(4, "0")}`,
      );
      await createAll(pipelines, names);
      const pages = await listAll(pipelines, scope, 100);
      expect(pages).toHaveLength(12);
      expect(pages.flat()).toEqual([...names].sort());
      expect(await pipelines.count(scope)).toBe(1200);
    });

    it("rejects a limit that is not a positive integer", async () => {
      const { pipelines } = current().stores;
      await expect(pipelines.list(scope, { limit: 0 })).rejects.toThrow(/limit/);
      await expect(pipelines.list(scope, { limit: 1.5 })).rejects.toThrow(/limit/);
    });
  });
}
