import { describe, expect, it } from "vitest";
import { startExecution } from "../../store/contract/run-builders.contract.js";
import { createMemoryStores } from "../../store/memory/create-memory-stores.js";
import { createConsole } from "./console-front-end.js";
import { PEER_ADDRESS_HEADER } from "./login-limiter.js";

const origin = "http://127.0.0.1:4577";
const accountId = "123456789012";

function world(credentials = [{ accessKeyId: "AKIDCONSOLE", secretAccessKey: "right" }]) {
  const stores = createMemoryStores();
  const clock = { ms: 1_000_000 };
  const webConsole = createConsole({
    credentials,
    defaultScope: { accountId, region: "us-east-1" },
    scopes: () => stores.pipelines.scopes(),
    overview: { pipelines: stores.pipelines, runs: stores.runs },
    now: () => clock.ms,
    version: "test",
  });
  const api = async (path: string, init: RequestInit = {}) => {
    const url = new URL(`/_pipewright/console/${path}`, origin);
    const response = await webConsole.api.handle(new Request(url, init), url);
    return { response, body: (await response.json()) as Record<string, unknown> };
  };
  const login = (secret: string, peer = "192.0.2.7") =>
    api("login", {
      method: "POST",
      headers: { origin, "content-type": "application/json", [PEER_ADDRESS_HEADER]: peer },
      body: JSON.stringify({ accessKeyId: "AKIDCONSOLE", secretAccessKey: secret }),
    });
  return { stores, clock, api, login };
}

describe("console login rate limit (5 failures a minute per client, on the test's clock)", () => {
  it("answers 429 with Retry-After after 5 failures, refuses even the right key, and lets it in after the minute", async () => {
    const { clock, login } = world();
    for (let i = 0; i < 5; i++) {
      expect((await login("wrong")).response.status).toBe(401);
      clock.ms += 1_000; // failures at 0, 1, 2, 3 and 4 s
    }
    const refused = await login("right");
    expect(refused.response.status).toBe(429);
    // The oldest failure (at 0 s) leaves the window at 60 s; it is now 5 s.
    expect(refused.response.headers.get("retry-after")).toBe("55");
    expect(refused.body.message).toMatch(/Too many failed sign-ins.*55 s/u);
    expect(refused.response.headers.get("set-cookie")).toBeNull();
    // Another client is not held up by this one.
    expect((await login("right", "192.0.2.8")).response.status).toBe(200);
    clock.ms += 54_000;
    expect((await login("right")).response.status).toBe(429);
    clock.ms += 1_000;
    const admitted = await login("right");
    expect(admitted.response.status).toBe(200);
    expect(admitted.response.headers.get("set-cookie")).toMatch(/^pipewright_session=/u);
  });

  it("a success forgets earlier failures; refused attempts are not counted", async () => {
    const { clock, login } = world();
    for (let i = 0; i < 4; i++) expect((await login("wrong")).response.status).toBe(401);
    expect((await login("right")).response.status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login("wrong")).response.status).toBe(401);
    for (let i = 0; i < 10; i++) expect((await login("wrong")).response.status).toBe(429);
    clock.ms += 60_001;
    expect((await login("wrong")).response.status).toBe(401);
  });
});

describe("GET /_pipewright/console/overview", () => {
  it("lists every pipeline of every region with its newest execution, and needs a session when credentials are set", async () => {
    const { stores, api, login } = world();
    const declaration = { name: "x", roleArn: "arn:aws:iam::1:role/r", stages: [] };
    for (const [region, name] of [
      ["us-east-1", "app"],
      ["us-east-1", "idle"],
      ["eu-west-1", "web"],
    ] as const)
      await stores.pipelines.create({
        scope: { accountId, region },
        name,
        version: 1,
        declaration: { ...declaration, name },
        created: 0,
        updated: 0,
      });
    await startExecution(stores.runs, "old", {
      at: 1_000,
      scope: { accountId, region: "us-east-1" },
      pipeline: "app",
    });
    await startExecution(stores.runs, "new", {
      at: 2_000,
      scope: { accountId, region: "us-east-1" },
      pipeline: "app",
    });
    await startExecution(stores.runs, "w1", {
      at: 3_000,
      scope: { accountId, region: "eu-west-1" },
      pipeline: "web",
    });

    expect((await api("overview")).response.status).toBe(401);
    const cookie = (await login("right")).response.headers.get("set-cookie")!.split(";")[0]!;
    const { response, body } = await api("overview", { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(body.regions).toEqual(["eu-west-1", "us-east-1"]);
    const rows = body.pipelines as {
      region: string;
      name: string;
      latest?: { pipelineExecutionId: string; status: string; startTime: number };
    }[];
    expect(rows.map((r) => [r.region, r.name, r.latest?.pipelineExecutionId])).toEqual([
      ["eu-west-1", "web", "w1"],
      ["us-east-1", "app", "new"],
      ["us-east-1", "idle", undefined],
    ]);
    expect(rows[1]!.latest).toMatchObject({ status: "InProgress", startTime: 2 });
  });
});
