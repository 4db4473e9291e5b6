import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExceptionTypes } from "../model/exceptions.js";
import { errorCatalogue } from "./errors.js";

const docs = readFileSync(join(import.meta.dirname, "../../docs/errors.md"), "utf8");
const documented = [...docs.matchAll(/^\| `(\w+)`\s*\| (\d+)\s*\|/gmu)].map((m) => ({
  code: m[1]!,
  status: Number(m[2]),
}));

describe("the error catalogue", () => {
  it("lists in docs/errors.md exactly the codes the API can answer with", () => {
    expect(documented.map((d) => d.code).sort()).toEqual([...ExceptionTypes].sort());
  });

  it("documents the same HTTP status the API sends for each code", () => {
    for (const { code, status } of documented) {
      expect(errorCatalogue[code as keyof typeof errorCatalogue].status, code).toBe(status);
    }
  });
});
