import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EcsDeployErrorCode } from "./errors.js";
import {
  type ArtifactFiles,
  parseImageDefinitions,
  parseImageDetail,
  readImageDefinitions,
  readImageDetail,
} from "./image-definitions.js";

const enc = (s: string) => new TextEncoder().encode(s);
const files = (entries: Record<string, string | Uint8Array>): ArtifactFiles =>
  new Map(Object.entries(entries).map(([k, v]) => [k, typeof v === "string" ? enc(v) : v]));
const codes = new Set<string>(Object.values(EcsDeployErrorCode));

describe("imagedefinitions.json", () => {
  it("reads the entries of the default file", () => {
    const r = readImageDefinitions(
      files({
        "imagedefinitions.json":
          '[{"name":"web","imageUri":"r/web:2"},{"name":"side","imageUri":"r/side@sha256:ab"}]',
      }),
      "BuildOutput",
    );
    expect(r).toEqual({
      ok: true,
      value: [
        { name: "web", imageUri: "r/web:2" },
        { name: "side", imageUri: "r/side@sha256:ab" },
      ],
    });
  });

  it("reads FileName, with or without a leading ./, and drops a UTF-8 BOM", () => {
    const r = readImageDefinitions(
      files({ "./out/images.json": '\uFEFF[{"name":"web","imageUri":"x"}]' }),
      "A",
      "out/images.json",
    );
    expect(r.ok).toBe(true);
  });

  it("names the files present when the file is missing", () => {
    const r = readImageDefinitions(files({ "b.txt": "", "a/c.json": "" }), "BuildOutput");
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: "FileMissing",
        failureType: "JobFailed",
        message: expect.stringContaining(
          "The image definition file imagedefinitions.json does not exist in the input artifact BuildOutput. Files in the artifact: a/c.json, b.txt.",
        ),
      },
    });
  });

  it("says the artifact is empty, and points out imageDetail.json mix-ups", () => {
    const empty = readImageDefinitions(files({}), "Src");
    expect(!empty.ok && empty.error.message).toContain("The artifact is empty.");
    const detail = readImageDefinitions(files({ "imageDetail.json": "{}" }), "Src");
    expect(!detail.ok && detail.error.message).toContain(
      "imageDetail.json, which is the ECR source action's output for CodeDeployToECS",
    );
  });

  it("lists at most 20 files", () => {
    const many = files(
      Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${String(i).padStart(2, "0")}`, ""])),
    );
    const r = readImageDefinitions(many, "A");
    expect(!r.ok && r.error.message).toContain("f19 and 5 more.");
  });

  it("refuses more than 100 KB and bytes that are not UTF-8", () => {
    const big = readImageDefinitions(files({ "imagedefinitions.json": " ".repeat(102_401) }), "A");
    expect(big).toMatchObject({ ok: false, error: { code: "FileTooLarge" } });
    const bad = readImageDefinitions(
      files({ "imagedefinitions.json": new Uint8Array([0x5b, 0xff, 0x5d]) }),
      "A",
    );
    expect(bad).toMatchObject({ ok: false, error: { code: "InvalidEncoding" } });
  });

  it.each([
    [
      "[{]",
      "InvalidJson",
      "The image definition file imagedefinitions.json contents invalid JSON format: unexpected ']', expected a property name in double quotes at line 1, column 3.",
    ],
    [
      '{"name":"a","imageUri":"b"}',
      "InvalidImageDefinitions",
      'must be a JSON array like [{"name": "<container name>", "imageUri": "<image>"}], but it is an object.',
    ],
    ["[]", "InvalidImageDefinitions", "is an empty array"],
    ["[1]", "InvalidImageDefinitions", "imagedefinitions.json[0] must be an object"],
    [
      '[{"imageUri":"b"}]',
      "InvalidImageDefinitions",
      "imagedefinitions.json[0].name is missing; it must be a non-empty string.",
    ],
    ['[{"name":"a"}]', "InvalidImageDefinitions", "imagedefinitions.json[0].imageUri is missing"],
    ['[{"name":"a","imageURI":"b"}]', "InvalidImageDefinitions", "(the key is imageUri, not imageURI)"],
    ['[{"name":"a","imageUri":7}]', "InvalidImageDefinitions", "imageUri is the number 7"],
    ['[{"name":"","imageUri":"x"}]', "InvalidImageDefinitions", "name is an empty string"],
    ['[{"name":"a","imageUri":"x y"}]', "InvalidImageDefinitions", "contains whitespace"],
    [
      '[{"name":"a","imageUri":"x"},{"name":"a","imageUri":"y"}]',
      "DuplicateContainerName",
      "names container 'a' twice (entries 0 and 1)",
    ],
  ])("%s -> %s", (text, code, message) => {
    const r = parseImageDefinitions(text, "imagedefinitions.json");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toContain(message);
    }
  });

  it("reports the line and column of a syntax error in a multi-line file", () => {
    const r = parseImageDefinitions(
      '[\n  {"name": "web",\n   "imageUri": "x"\n  }\n  {"name": "b"}\n]',
      "images.json",
    );
    expect(!r.ok && r.error.message).toBe(
      "The image definition file images.json contents invalid JSON format: unexpected '{', expected ',' or ']' at line 5, column 3.",
    );
  });

  it("never throws, and fails only with a typed error (fuzzed)", () => {
    const entry = fc.record(
      {
        name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        imageUri: fc.oneof(fc.string(), fc.boolean()),
      },
      { requiredKeys: [] },
    );
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      fc.array(entry).map((a) => JSON.stringify(a)),
      fc.array(entry).map((a) => JSON.stringify(a).slice(0, -2)),
    );
    fc.assert(
      fc.property(text, (t) => {
        const r = parseImageDefinitions(t, "imagedefinitions.json");
        if (r.ok) {
          expect(r.value.length).toBeGreaterThan(0);
          for (const d of r.value)
            expect(typeof d.name === "string" && typeof d.imageUri === "string").toBe(true);
          expect(new Set(r.value.map((d) => d.name)).size).toBe(r.value.length);
        } else {
          expect(codes.has(r.error.code)).toBe(true);
          expect(r.error.message).toMatch(/imagedefinitions\.json/);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("fuzzed artifacts: arbitrary bytes and names never throw", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.uint8Array({ maxLength: 64 })),
        fc.string(),
        (entries, fileName) => {
          const r = readImageDefinitions(new Map(Object.entries(entries)), "A", fileName || undefined);
          if (!r.ok) expect(codes.has(r.error.code)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("imageDetail.json", () => {
  it("reads ImageURI from the ECR source action's file and from a hand-written one", () => {
    const ecr = JSON.stringify({
      ImageDigest: "sha256:1",
      ImageURI: "h/repo@sha256:1",
      ImageTags: ["latest"],
    });
    expect(readImageDetail(files({ "imageDetail.json": ecr }), "Img")).toEqual({
      ok: true,
      value: "h/repo@sha256:1",
    });
    expect(parseImageDetail('{"ImageURI": "r:1"}', "Img")).toEqual({ ok: true, value: "r:1" });
  });

  it.each([
    [
      "{",
      "InvalidJson",
      "imageDetail.json in Img is not valid JSON: unexpected end of input, expected a property name in double quotes at line 1, column 2.",
    ],
    ["[]", "InvalidImageDetail", "ImageURI is missing"],
    ['{"imageUri": "x"}', "InvalidImageDetail", "must be an object with ImageURI"],
    ['{"ImageURI": ""}', "InvalidImageDetail", "ImageURI is an empty string"],
  ])("%s -> %s", (text, code, message) => {
    const r = parseImageDetail(text, "Img");
    expect(r).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(message) } });
  });

  it("a missing imageDetail.json names the files present and the imagedefinitions.json mix-up", () => {
    const r = readImageDetail(files({ "imagedefinitions.json": "[]" }), "Img");
    expect(!r.ok && r.error.message).toContain(
      "The image file imageDetail.json does not exist in the input artifact Img. Files in the artifact: imagedefinitions.json. It has imagedefinitions.json, which is the ECS action's input",
    );
  });

  it("never throws (fuzzed)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.record({ ImageURI: fc.anything() }).map((o) => JSON.stringify(o) ?? ""),
        ),
        (t) => {
          const r = parseImageDetail(t, "Img");
          if (r.ok) expect(r.value.trim()).not.toBe("");
          else expect(codes.has(r.error.code)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
