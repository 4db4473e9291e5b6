import { describe, expect, it } from "vitest";
import {
  imageDetailJson,
  isDigest,
  isRepositoryName,
  isTag,
  javaDateString,
  MediaType,
  parseLifecyclePolicy,
  parseManifest,
  planExpiry,
} from "./index.js";

const D = (c: string) => `sha256:${c.repeat(64)}`;
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("registry names", () => {
  it.each([
    ["app", true],
    ["team/app-1", true],
    ["a.b_c-d/e", true],
    ["a", false],
    ["App", false],
    ["a..b", false],
    ["../etc", false],
    ["/app", false],
    ["app/", false],
    ["a//b", false],
    ["a-", false],
  ])("repository name %s is %s", (name, valid) => {
    expect(isRepositoryName(name)).toBe(valid);
  });

  it("takes tags and sha256 digests of the OCI rules only", () => {
    expect(isTag("v1.2.3_rc-1")).toBe(true);
    expect(isTag(".hidden")).toBe(false);
    expect(isTag("a/b")).toBe(false);
    expect(isDigest(D("a"))).toBe(true);
    expect(isDigest(`sha256:${"A".repeat(64)}`)).toBe(false);
    expect(isDigest(`sha512:${"a".repeat(128)}`)).toBe(false);
  });
});

describe("parseManifest", () => {
  const image = {
    schemaVersion: 2,
    mediaType: MediaType.DockerManifest,
    config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: D("c"), size: 7 },
    layers: [
      { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: D("1"), size: 10 },
      {
        mediaType: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        digest: D("2"),
        size: 10,
        urls: ["https://example.invalid/layer"],
      },
    ],
  };

  it("reads a Docker v2 manifest's config and layers, leaving out foreign layers", () => {
    const parsed = parseManifest(bytes(image), MediaType.DockerManifest);
    expect(parsed).toEqual({
      ok: true,
      value: {
        mediaType: MediaType.DockerManifest,
        artifactMediaType: "application/vnd.docker.container.image.v1+json",
        blobs: [D("c"), D("1")],
        manifests: [],
      },
    });
  });

  it("reads an OCI index without a mediaType member by its shape", () => {
    const index = {
      schemaVersion: 2,
      manifests: [{ mediaType: MediaType.OciManifest, digest: D("9"), size: 5 }],
    };
    const parsed = parseManifest(bytes(index), "");
    expect(parsed.ok && parsed.value).toEqual({
      mediaType: MediaType.OciIndex,
      blobs: [],
      manifests: [D("9")],
    });
  });

  it.each([
    ["not JSON", new TextEncoder().encode("{"), MediaType.OciManifest, "MANIFEST_INVALID"],
    ["schema 1", bytes({ schemaVersion: 1 }), "", "MANIFEST_INVALID"],
    ["a disagreeing Content-Type", bytes(image), MediaType.OciManifest, "MANIFEST_INVALID"],
    [
      "a bad layer digest",
      bytes({ ...image, layers: [{ mediaType: "x", digest: "sha256:zz", size: 1 }] }),
      "",
      "DIGEST_INVALID",
    ],
    ["a negative size", bytes({ ...image, config: { ...image.config, size: -1 } }), "", "MANIFEST_INVALID"],
    ["an unknown media type", bytes({ schemaVersion: 2, mediaType: "text/plain" }), "", "MANIFEST_INVALID"],
  ])("refuses %s", (_name, body, type, code) => {
    const parsed = parseManifest(body, type);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.code).toBe(code);
  });

  it("refuses a manifest over 4 MiB with 413", () => {
    const parsed = parseManifest(new Uint8Array(4 * 1024 * 1024 + 1), "");
    expect(!parsed.ok && parsed.error).toMatchObject({ code: "MANIFEST_INVALID", status: 413 });
  });
});

describe("lifecycle policies", () => {
  const day = 24 * 3600 * 1000;
  const now = Date.UTC(2026, 5, 1);
  const images = [
    { digest: "d1", tags: ["prod-1"], pushedAt: now - 10 * day },
    { digest: "d2", tags: ["prod-2"], pushedAt: now - 5 * day },
    { digest: "d3", tags: ["prod-3"], pushedAt: now - 1 * day },
    { digest: "u1", tags: [], pushedAt: now - 20 * day },
    { digest: "u2", tags: [], pushedAt: now - 2 * day },
  ];
  const policy = (rules: unknown[]) => {
    const parsed = parseLifecyclePolicy(JSON.stringify({ rules }));
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  };

  it("keeps the newest N tagged images and expires untagged ones by age", () => {
    const p = policy([
      {
        rulePriority: 1,
        selection: {
          tagStatus: "tagged",
          tagPrefixList: ["prod"],
          countType: "imageCountMoreThan",
          countNumber: 2,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: 7,
        },
        action: { type: "expire" },
      },
    ]);
    expect(planExpiry(p, images, now)).toEqual([
      { digest: "d1", rulePriority: 1 },
      { digest: "u1", rulePriority: 2 },
    ]);
  });

  it("lets an image belong to the first rule that selects it only", () => {
    const p = policy([
      {
        rulePriority: 1,
        selection: {
          tagStatus: "tagged",
          tagPatternList: ["prod-*"],
          countType: "imageCountMoreThan",
          countNumber: 5,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 9,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 },
        action: { type: "expire" },
      },
    ]);
    expect(planExpiry(p, images, now).map((e) => e.digest)).toEqual(["u1"]);
  });

  it.each([
    ["no rules", { rules: [] }],
    ["an any rule before another", { rules: [anyRule(1), anyRule(2)] }],
    [
      "a tagged rule without prefixes",
      {
        rules: [
          {
            ...anyRule(1),
            selection: { tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 1 },
          },
        ],
      },
    ],
    ["an action other than expire", { rules: [{ ...anyRule(1), action: { type: "keep" } }] }],
  ])("refuses a policy with %s", (_name, doc) => {
    expect(parseLifecyclePolicy(JSON.stringify(doc)).ok).toBe(false);
  });

  function anyRule(priority: number) {
    return {
      rulePriority: priority,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 },
      action: { type: "expire" },
    };
  }
});

describe("imageDetail.json", () => {
  it("is written as AWS's ECR source action writes it, digest-pinned", () => {
    const pushedAt = Date.UTC(2019, 0, 21, 20, 4, 0);
    expect(javaDateString(pushedAt)).toBe("Mon Jan 21 20:04:00 UTC 2019");
    const json = JSON.parse(
      imageDetailJson({
        registryId: "123456789012",
        repositoryName: "app",
        repositoryUri: "127.0.0.1:4577/app",
        digest: D("e"),
        tags: ["latest"],
        size: 44728918,
        pushedAt,
      }),
    );
    expect(json).toEqual({
      ImageSizeInBytes: "44728918",
      ImageDigest: D("e"),
      Version: "1.0",
      ImagePushedAt: "Mon Jan 21 20:04:00 UTC 2019",
      RegistryId: "123456789012",
      RepositoryName: "app",
      ImageURI: `127.0.0.1:4577/app@${D("e")}`,
      ImageTags: ["latest"],
    });
  });
});
