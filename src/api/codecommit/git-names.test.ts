import { describe, expect, it } from "vitest";
import { isValidBranchName } from "./git-names.js";

describe("branch names", () => {
  it("accept what git accepts for refs/heads/<name>", () => {
    for (const name of ["main", "feature/login", "release-1.2", "v1_x", "a.b/c-d", "x".repeat(256)]) {
      expect(isValidBranchName(name), name).toBe(true);
    }
  });

  it("refuse what git refuses, and options", () => {
    const refused = [
      "",
      "-f",
      "/a",
      "a/",
      "a.",
      "a..b",
      "a//b",
      "a@{1}",
      "@",
      "a b",
      "a~1",
      "a^",
      "a:b",
      "a?",
      "a*",
      "a[",
      "a\\b",
      ".hidden",
      "a/.b",
      "x.lock",
      "a/b.lock/c",
      "x".repeat(257),
      "a\u0001",
    ];
    for (const name of refused) expect(isValidBranchName(name), JSON.stringify(name)).toBe(false);
  });
});
