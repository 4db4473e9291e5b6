import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHttpBackend } from "./http-backend.js";
import { initBare } from "./init-bare.js";
import { writeCommit } from "./write-commit.js";

const text = async (body: AsyncIterable<Uint8Array>) => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("latin1");
};

/** One pkt-line (gitprotocol-common(5)): four hex digits of length, then the payload. */
const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, "0")}${line}`;

describe("the CGI bridge to git http-backend", () => {
  let dir: string;
  let gitDir: string;
  let commit: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pipewright-backend-"));
    gitDir = join(dir, "repo.git");
    await initBare(gitDir);
    commit = await writeCommit(gitDir, {
      files: { "README.md": "hello\n" },
      message: "first",
      author: { name: "A", email: "a@example.com", date: Date.UTC(2026, 0, 1), timezone: "+0000" },
      ref: "refs/heads/main",
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers the ref advertisement of protocol v0 with git's content type and no-cache headers", async () => {
    const response = await runHttpBackend({
      gitDir,
      method: "GET",
      pathInfo: "/info/refs",
      query: "service=git-upload-pack",
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/x-git-upload-pack-advertisement");
    expect(response.headers["cache-control"]).toMatch(/no-cache/);
    const body = await text(response.body);
    expect(body.startsWith("001e# service=git-upload-pack\n0000")).toBe(true);
    expect(body).toContain(`${commit} refs/heads/main`);
    expect((await response.exited).exitCode).toBe(0);
  });

  it("speaks protocol v2 when the Git-Protocol header asks for it, and streams the request body in", async () => {
    const advertised = await runHttpBackend({
      gitDir,
      method: "GET",
      pathInfo: "/info/refs",
      query: "service=git-upload-pack",
      gitProtocol: "version=2",
    });
    expect(await text(advertised.body)).toContain("version 2");
    async function* request() {
      yield new TextEncoder().encode(pkt("command=ls-refs\n"));
      yield new TextEncoder().encode(`0001${pkt("symrefs\n")}0000`);
    }
    const listed = await runHttpBackend({
      gitDir,
      method: "POST",
      pathInfo: "/git-upload-pack",
      query: "",
      contentType: "application/x-git-upload-pack-request",
      gitProtocol: "version=2",
      body: request(),
    });
    expect(listed.headers["content-type"]).toBe("application/x-git-upload-pack-result");
    const body = await text(listed.body);
    expect(body).toContain(`${commit} HEAD symref-target:refs/heads/main`);
    expect(body).toContain(`${commit} refs/heads/main`);
  });

  it("inflates a gzip-compressed request body, as git sends large fetch requests", async () => {
    const request = gzipSync(Buffer.from(`${pkt("command=ls-refs\n")}0001${pkt("symrefs\n")}0000`));
    const listed = await runHttpBackend({
      gitDir,
      method: "POST",
      pathInfo: "/git-upload-pack",
      query: "",
      contentType: "application/x-git-upload-pack-request",
      contentEncoding: "gzip",
      gitProtocol: "version=2",
      body: (async function* () {
        yield request;
      })(),
    });
    expect(listed.status).toBe(200);
    expect(await text(listed.body)).toContain(`${commit} refs/heads/main`);
  });

  it("passes on git's own refusals: a wrong content type is 415, a missing repository 404", async () => {
    const wrongType = await runHttpBackend({
      gitDir,
      method: "POST",
      pathInfo: "/git-upload-pack",
      query: "",
      contentType: "text/plain",
      body: (async function* () {})(),
    });
    expect(wrongType.status).toBe(415);
    await text(wrongType.body);
    const missing = await runHttpBackend({
      gitDir: join(dir, "missing.git"),
      method: "GET",
      pathInfo: "/info/refs",
      query: "service=git-upload-pack",
    });
    expect(missing.status).toBe(404);
    await text(missing.body);
  });

  it("never runs git for a path outside the smart protocol", async () => {
    for (const pathInfo of ["/HEAD", "/objects/info/packs", "/../x/info/refs", "info/refs", ""]) {
      await expect(
        runHttpBackend({ gitDir, method: "GET", pathInfo, query: "service=git-upload-pack" }),
      ).rejects.toThrow(/not a smart HTTP path/);
    }
  });

  it("kills git when the reader stops early", async () => {
    const response = await runHttpBackend({
      gitDir,
      method: "GET",
      pathInfo: "/info/refs",
      query: "service=git-upload-pack",
    });
    for await (const _ of response.body) break;
    const exit = await response.exited;
    expect(exit.exitCode === 0 || exit.signal === "SIGKILL").toBe(true);
  });
});
