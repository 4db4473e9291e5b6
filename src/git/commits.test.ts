import { describe, expect, it } from "vitest";
import { parseCommitObject, parseSignature } from "./commits.js";

describe("reading a raw commit object", () => {
  it("reads signatures with their epoch date in milliseconds and the recorded timezone", () => {
    expect(parseSignature("Jane Doe <jane@example.com> 1484167798 -0800")).toEqual({
      name: "Jane Doe",
      email: "jane@example.com",
      date: 1484167798000,
      timezone: "-0800",
    });
    expect(parseSignature("<nobody@example.com> 0 +0530")).toMatchObject({ name: "", timezone: "+0530" });
  });

  it("reads tree, parents and the whole message, skipping signature continuation lines", () => {
    const raw = [
      "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
      "parent 1111111111111111111111111111111111111111",
      "parent 2222222222222222222222222222222222222222",
      "author A <a@x> 1 +0000",
      "committer C <c@x> 2 +0100",
      "gpgsig -----BEGIN PGP SIGNATURE-----",
      " ",
      " abc",
      " -----END PGP SIGNATURE-----",
      "",
      "Subject line",
      "",
      "Body line",
      "",
    ].join("\n");
    expect(parseCommitObject("c0ffee", raw)).toEqual({
      commitId: "c0ffee",
      treeId: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
      parents: ["1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"],
      message: "Subject line\n\nBody line",
      author: { name: "A", email: "a@x", date: 1000, timezone: "+0000" },
      committer: { name: "C", email: "c@x", date: 2000, timezone: "+0100" },
    });
  });

  it("refuses an object without a tree or signatures", () => {
    expect(() => parseCommitObject("x", "author A <a@x> 1 +0000\n\nmsg")).toThrow(/malformed/);
    expect(() => parseSignature("no email 1 +0000")).toThrow(/malformed git signature/);
  });
});
