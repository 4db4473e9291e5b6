import { describe, expect, it } from "vitest";
import { variableCheck } from "./conditions.js";

describe("VariableCheck", () => {
  it.each([
    ["main", "EQ", "main", true],
    ["main", "EQ", "Main", false],
    ["main", "NE", "dev", true],
    ["feature/login", "CONTAINS", "login", true],
    ["release/1.2", "MATCHES", "release/.*", true],
    // Java's String.matches: the whole value must match, not a part of it.
    ["my-release/1.2", "MATCHES", "release/.*", false],
  ])("'%s' %s '%s' is %s", (actual, operator, expected, ok) => {
    expect(variableCheck(actual, operator, expected).ok).toBe(ok);
  });

  it("fails, saying why, for a broken regular expression or operator", () => {
    expect(variableCheck("x", "MATCHES", "(")).toEqual({
      ok: false,
      summary: "Value '(' is not a valid regular expression",
    });
    expect(variableCheck("x", "LIKE", "x").summary).toContain("not one of EQ, NE, CONTAINS, MATCHES");
  });
});
