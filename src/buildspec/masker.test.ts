import { describe, expect, it } from "vitest";
import { createMasker } from "./masker.js";

describe("createMasker", () => {
  it("masks a long secret wherever it appears, inside words too", () => {
    const mask = createMasker(["s3cr3t-v4lue"]);
    expect(mask("token=s3cr3t-v4lue; again:xs3cr3t-v4luex")).toBe("token=***; again:x***x");
  });

  it("masks a short secret only where it stands as a word, so ordinary words survive", () => {
    const mask = createMasker(["test"]);
    expect(mask("Running unit tests")).toBe("Running unit tests");
    expect(mask("Running command ./run-tests.sh")).toBe("Running command ./run-tests.sh");
    expect(mask("attested latest test_case")).toBe("attested latest test_case");
    expect(mask("password is test")).toBe("password is ***");
    expect(mask("user=test,pass=test.")).toBe("user=***,pass=***.");
    expect(mask("test")).toBe("***");
  });

  it("treats a short secret's own punctuation as part of it", () => {
    const mask = createMasker(["p@ss"]);
    expect(mask("login p@ss ok, p@ssword")).toBe("login *** ok, p@ssword");
  });

  it("does not mask values under three characters, and masks lines of a multi-line secret", () => {
    expect(createMasker(["ab"])("ab cab")).toBe("ab cab");
    expect(createMasker(["line-one-long\nline-two-long"])("x line-two-long y")).toBe("x *** y");
  });
});
