import { describe, expect, it } from "vitest";
import type { Tag } from "../../model/declaration.js";
import { type CurrentStores, tryToMutate } from "./builders.contract.js";

const arn = "arn:aws:codepipeline:us-east-1:111111111111:app";
const otherArn = "arn:aws:codepipeline:us-west-2:111111111111:app";

export function describeTagStoreContract(current: CurrentStores): void {
  describe("tags", () => {
    it("returns no tags for a resource that has none", async () => {
      expect(await current().stores.tags.get(arn)).toEqual([]);
    });

    it("returns the tags it was given, sorted by key in byte order", async () => {
      const { tags } = current().stores;
      await tags.put(arn, [
        { key: "team", value: "platform" },
        { key: "Env", value: "prod" },
        { key: "env", value: "lower" },
        { key: "cost-centre", value: "" },
      ]);
      expect(await tags.get(arn)).toEqual([
        { key: "Env", value: "prod" },
        { key: "cost-centre", value: "" },
        { key: "env", value: "lower" },
        { key: "team", value: "platform" },
      ]);
    });

    it("replaces the whole set on put, and removes it on put of an empty list", async () => {
      const { tags } = current().stores;
      await tags.put(arn, [
        { key: "a", value: "1" },
        { key: "b", value: "2" },
      ]);
      await tags.put(arn, [{ key: "c", value: "3" }]);
      expect(await tags.get(arn)).toEqual([{ key: "c", value: "3" }]);
      await tags.put(arn, []);
      expect(await tags.get(arn)).toEqual([]);
    });

    it("keeps the tags of different resources apart", async () => {
      const { tags } = current().stores;
      await tags.put(arn, [{ key: "region", value: "east" }]);
      await tags.put(otherArn, [{ key: "region", value: "west" }]);
      await tags.put(arn, []);
      expect(await tags.get(otherArn)).toEqual([{ key: "region", value: "west" }]);
    });

    it("rejects a set that names a key twice and keeps the previous set", async () => {
      const { tags } = current().stores;
      await tags.put(arn, [{ key: "a", value: "1" }]);
      const twice = [
        { key: "b", value: "1" },
        { key: "b", value: "2" },
      ];
      await expect(tags.put(arn, twice)).rejects.toThrow(/'b'/);
      expect(await tags.get(arn)).toEqual([{ key: "a", value: "1" }]);
    });

    it("keeps stored tags apart from the arrays callers hand in and get back", async () => {
      const { tags } = current().stores;
      const given: Tag[] = [{ key: "a", value: "1" }];
      await tags.put(arn, given);
      given[0]!.value = "edited input";
      given.push({ key: "b", value: "2" });
      const got = await tags.get(arn);
      tryToMutate(() => {
        got[0]!.value = "edited output";
      });
      tryToMutate(() => {
        got.push({ key: "c", value: "3" });
      });
      await tags.put(otherArn, [{ key: "unrelated", value: "write" }]);
      expect(await tags.get(arn)).toEqual([{ key: "a", value: "1" }]);
    });
  });
}
