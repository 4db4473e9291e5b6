import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApp, type RouteFrontEnd } from "../../src/api/app.js";
import { silentLogger } from "../../src/lib/logger.js";

function frontEnd(name: string, match: Partial<RouteFrontEnd>): RouteFrontEnd {
  return { name, ...match, handle: async () => new Response(name) };
}

const app = createApp({
  jsonServices: [],
  frontEnds: [
    frontEnd("git", { pathPrefix: "/v1/repos/" }),
    frontEnd("git-admin", { pathPrefix: "/v1/repos/admin/" }),
    frontEnd("s3", { signingName: "s3" }),
  ],
  authenticator: { authenticate: () => ({ ok: true, principal: "t" }) },
  defaultScope: { accountId: "123456789012", region: "us-east-1" },
  maxBodyBytes: 1024,
  logger: silentLogger,
  now: () => 0,
  newRequestId: randomUUID,
  version: "test",
});

async function routeOf(path: string, headers: Record<string, string> = {}) {
  const response = await app(new Request(`http://h${path}`, { headers }));
  return response.status === 200 ? await response.text() : `${response.status}`;
}

describe("one port, many front ends", () => {
  it("routes by the most specific path prefix", async () => {
    expect(await routeOf("/v1/repos/app/info/refs")).toBe("git");
    expect(await routeOf("/v1/repos/admin/x")).toBe("git-admin");
  });

  it("routes by the service in the SigV4 credential scope, from the header or a presigned URL", async () => {
    const auth =
      "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00";
    expect(await routeOf("/bucket/key", { authorization: auth })).toBe("s3");
    expect(
      await routeOf("/bucket/key?X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"),
    ).toBe("s3");
  });

  it("answers anything else with UnknownOperationException", async () => {
    expect(await routeOf("/elsewhere")).toBe("400");
  });
});
