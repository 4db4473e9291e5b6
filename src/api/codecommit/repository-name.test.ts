import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.js";
import { isValidRepositoryName, requireRepositoryName } from "./repository-name.js";

describe("CodeCommit repository names", () => {
  it("accept letters, digits, underscores, periods and dashes, 1 to 100 of them", () => {
    for (const name of ["app", "My_Repo-2", "a.b", "_", "-x", "x".repeat(100), "...", ".hidden"]) {
      expect(isValidRepositoryName(name), name).toBe(true);
    }
  });

  it("refuse anything that could be more than one path segment, or a special one", () => {
    const refused = [
      ".",
      "..",
      "a/b",
      "a\\b",
      "%2e%2e",
      "a b",
      "",
      "x".repeat(101),
      "app.git",
      "APP.GIT",
      "é",
      "a\0",
    ];
    for (const name of refused) expect(isValidRepositoryName(name), JSON.stringify(name)).toBe(false);
  });

  it("answer with CodeCommit's exceptions, not ValidationException", () => {
    const typeOf = (name: string | undefined) => {
      try {
        requireRepositoryName(name);
        return "ok";
      } catch (error) {
        return (error as ApiError).type;
      }
    };
    expect(typeOf(undefined)).toBe("RepositoryNameRequiredException");
    expect(typeOf("")).toBe("RepositoryNameRequiredException");
    expect(typeOf("a/b")).toBe("InvalidRepositoryNameException");
    expect(typeOf("app")).toBe("ok");
    expect(() => requireRepositoryName("..")).toThrow(ApiError);
  });
});
