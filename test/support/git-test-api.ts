import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../../src/api/app.js";
import { createCodeCommitService } from "../../src/api/codecommit/service.js";
import { createGitFrontEnd, type GitCredential, type PushEvent } from "../../src/api/git/index.js";
import type { Logger } from "../../src/lib/logger.js";
import { toNodeListener } from "../../src/main/node-http-adapter.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";

export const GIT_CREDENTIALS: GitCredential = {
  accessKeyId: "AKIDGITTEST",
  secretAccessKey: "git/test+secret",
};
const scope = { accountId: "123456789012", region: "us-east-1" };

/**
 * The CodeCommit service and the git front end in this process, over memory stores, served on a
 * loopback port so that the real git client can talk to it. Every push's `onPush` event is kept
 * in `pushes`; `failPushHook` makes the hook throw, to show the client never notices.
 */
export async function startGitTestApi(options: { credentials?: readonly GitCredential[] } = {}) {
  const stores = createMemoryStores();
  const pushes: PushEvent[] = [];
  const errors: { message: string; fields?: Record<string, unknown> }[] = [];
  let failPushHook = false;
  const logger: Logger = {
    info() {},
    warn() {},
    error: (message, fields) => {
      errors.push({ message, ...(fields ? { fields } : {}) });
    },
  };
  const app = createApp({
    jsonServices: [
      createCodeCommitService({ repositories: stores.repositories, tags: stores.tags, newId: randomUUID }),
    ],
    frontEnds: [
      createGitFrontEnd({
        repositories: stores.repositories,
        credentials: options.credentials ?? [GIT_CREDENTIALS],
        defaultScope: scope,
        onPush: async (push) => {
          pushes.push(push);
          if (failPushHook) throw new Error("the push hook failed on purpose");
        },
        newRequestId: randomUUID,
        logger,
      }),
    ],
    authenticator: { authenticate: () => ({ ok: true, principal: "test" }) },
    defaultScope: scope,
    maxBodyBytes: 1024 * 1024,
    logger,
    now: () => Date.now(),
    newRequestId: randomUUID,
    version: "test",
  });
  const server = createServer(toNodeListener(app));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function codecommit(operation: string, input: unknown) {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "x-amz-target": `CodeCommit_20150413.${operation}`,
        "content-type": "application/x-amz-json-1.1",
      },
      body: JSON.stringify(input),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  return {
    endpoint,
    stores,
    pushes,
    errors,
    codecommit,
    set failPushHook(value: boolean) {
      failPushHook = value;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await stores.close();
    },
  };
}
