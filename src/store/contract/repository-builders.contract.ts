// Fixtures for the repository store contract (a .contract.ts file, so it stays out of the build).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBare, runGit, writeCommit } from "../../git/index.js";
import type { RepositoryRecord, RepositoryStore, Scope, SmartHttpResponse } from "../types.js";
import { scope as defaultScope, T0 } from "./builders.contract.js";

export const ZERO_ID = "0".repeat(40);
export const author = { name: "Jane Doe", email: "jane@example.com", date: T0, timezone: "-0800" };

let ids = 0;
/** A fresh lower-case UUID (distinct across the whole test run, so ids never collide). */
export function newRepositoryId(): string {
  ids += 1;
  const random = Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, "0");
  return `00000000-0000-4000-8000-${random}${ids.toString(16).padStart(6, "0")}`;
}

export function repositoryRecord(
  name: string,
  options: { scope?: Scope; lastModified?: number; description?: string } = {},
): RepositoryRecord {
  return {
    scope: options.scope ?? defaultScope,
    repositoryId: newRepositoryId(),
    name,
    ...(options.description === undefined ? {} : { description: options.description }),
    created: T0,
    lastModified: options.lastModified ?? T0,
  };
}

export async function createRepository(
  repositories: RepositoryStore,
  name: string,
  options: Parameters<typeof repositoryRecord>[1] = {},
): Promise<RepositoryRecord> {
  const record = repositoryRecord(name, options);
  const created = await repositories.create(record);
  if (!created.ok) throw new Error(`fixture: could not create repository ${name}`);
  return record;
}

export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** One pkt-line (gitprotocol-common(5)). */
const pkt = (line: string) => `${(Buffer.byteLength(line) + 4).toString(16).padStart(4, "0")}${line}`;

/**
 * A git client for pushes without a network: commits are written into a scratch bare repository
 * outside the store, and `push` sends a receive-pack request (commands and a pack made by
 * `git pack-objects`) through `smartHttp`, exactly as `git push` over HTTP would.
 */
export async function createPusher() {
  const dir = await mkdtemp(join(tmpdir(), "pipewright-pusher-"));
  const scratch = join(dir, "scratch.git");
  await initBare(scratch);
  let clock = 0;

  return {
    /** Writes a commit into the scratch repository (nothing is pushed yet). */
    commit(files: Record<string, string>, parents: string[] = [], message = "change"): Promise<string> {
      clock += 1;
      return writeCommit(scratch, {
        files,
        parents,
        message,
        author: { ...author, date: T0 + clock * 1000 },
      });
    },

    /** Pushes `commands` (ref → [old, new], undefined for none) and returns the exchange. */
    async push(
      repositories: RepositoryStore,
      record: RepositoryRecord,
      commands: Record<string, [string | undefined, string | undefined]>,
    ): Promise<{ response: SmartHttpResponse; report: string }> {
      const lines = Object.entries(commands).map(
        ([ref, [from, to]], i) =>
          `${from ?? ZERO_ID} ${to ?? ZERO_ID} ${ref}${i === 0 ? "\0report-status delete-refs" : ""}\n`,
      );
      const wanted = Object.values(commands).flatMap(([from, to]) => [
        ...(to ? [to] : []),
        ...(from ? [`^${from}`] : []),
      ]);
      const sendsObjects = Object.values(commands).some(([, to]) => to !== undefined);
      const pack = sendsObjects
        ? (
            await runGit(["--git-dir", scratch, "pack-objects", "--stdout", "--revs", "--quiet"], {
              input: `${wanted.join("\n")}\n`,
            })
          ).stdout
        : Buffer.alloc(0);
      const body = Buffer.concat([Buffer.from(`${lines.map(pkt).join("")}0000`), pack]);
      const response = await repositories.smartHttp(record, {
        method: "POST",
        pathInfo: "/git-receive-pack",
        query: "",
        contentType: "application/x-git-receive-pack-request",
        remoteUser: "tester",
        body: (async function* () {
          // In several chunks, as a network delivers it.
          for (let at = 0; at < body.length; at += 1000) yield body.subarray(at, at + 1000);
        })(),
      });
      const report = (await readAll(response.body)).toString("latin1");
      return { response, report };
    },

    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export type Pusher = Awaited<ReturnType<typeof createPusher>>;
