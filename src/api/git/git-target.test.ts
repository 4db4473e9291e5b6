import { describe, expect, it } from "vitest";
import { parseGitTarget } from "./git-target.js";

const refused = (target: string) => {
  const parsed = parseGitTarget(target);
  return parsed.ok ? "served" : parsed.status;
};

describe("reading a git request target", () => {
  it("serves the three smart HTTP paths of a valid name", () => {
    expect(parseGitTarget("/v1/repos/app/info/refs?service=git-upload-pack")).toEqual({
      ok: true,
      repositoryName: "app",
      pathInfo: "/info/refs",
      method: "GET",
      query: "service=git-upload-pack",
      service: "git-upload-pack",
    });
    expect(parseGitTarget("/v1/repos/my.repo_1-x/git-receive-pack")).toMatchObject({
      repositoryName: "my.repo_1-x",
      pathInfo: "/git-receive-pack",
      method: "POST",
      query: "",
    });
    expect(parseGitTarget("/v1/repos/app/git-upload-pack?x=1")).toMatchObject({
      pathInfo: "/git-upload-pack",
    });
    expect(parseGitTarget("http://host:9/v1/repos/app/info/refs?service=git-receive-pack")).toMatchObject({
      repositoryName: "app",
      service: "git-receive-pack",
    });
  });

  it("decodes the name exactly once and accepts a .git suffix", () => {
    expect(parseGitTarget("/v1/repos/%61pp/git-upload-pack")).toMatchObject({ repositoryName: "app" });
    expect(parseGitTarget("/v1/repos/app.git/git-upload-pack")).toMatchObject({ repositoryName: "app" });
    expect(refused("/v1/repos/%252e%252e/git-upload-pack")).toBe(400);
  });

  it("keeps only the service parameter of the query, and needs it on info/refs", () => {
    expect(parseGitTarget("/v1/repos/app/info/refs?a=b&service=git-upload-pack&c")).toMatchObject({
      query: "service=git-upload-pack",
    });
    expect(refused("/v1/repos/app/info/refs")).toBe(404);
    expect(refused("/v1/repos/app/info/refs?service=git-upload-archive")).toBe(404);
    expect(refused("/v1/repos/app/info/refs?service=git-upload-pack%00")).toBe(404);
  });

  it("refuses names that could be another path: dot segments, encoded slashes, bad escapes", () => {
    for (const target of [
      "/v1/repos/%2e%2e/info/refs?service=git-upload-pack",
      "/v1/repos/%2E/git-upload-pack",
      "/v1/repos/a%2Fb/git-upload-pack",
      "/v1/repos/a%5Cb/git-upload-pack",
      "/v1/repos/%2Fetc/git-upload-pack",
      "/v1/repos/a%00/git-upload-pack",
      "/v1/repos/%zz/git-upload-pack",
      "/v1/repos/..git/git-upload-pack",
      `/v1/repos/${"x".repeat(101)}/git-upload-pack`,
    ]) {
      expect(refused(target), target).toBe(400);
    }
  });

  it("does not serve dumb HTTP, extra segments, or anything outside /v1/repos/<name>/", () => {
    for (const target of [
      "/v1/repos/../x/info/refs?service=git-upload-pack",
      "/v1/repos/app/../../x/git-upload-pack",
      "/v1/repos/app/HEAD",
      "/v1/repos/app/objects/info/packs",
      "/v1/repos/app/objects/ab/cdef0123",
      "/v1/repos/app/info/refs/x?service=git-upload-pack",
      "/v1/repos/app%2Finfo%2Frefs?service=git-upload-pack",
      "/v1/repos/app/info%2Frefs?service=git-upload-pack",
      "/v1/repos//etc/git-upload-pack",
      "/v1/repos/app",
      "/v1/repos/",
      "/v1/repos/a/b/git-upload-pack",
      "//v1/repos/app/git-upload-pack",
      "/etc/passwd",
    ]) {
      expect(refused(target), target).toBe(404);
    }
  });
});
