import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineCommand,
  ListPipelinesCommand,
  ListTagsForResourceCommand,
  type PipelineDeclaration,
  UpdatePipelineCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";

const fixture = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/pipelines/basic-v1.json"), "utf8")) as {
  pipeline: PipelineDeclaration;
};

function client(endpoint: string) {
  return new CodePipelineClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
  });
}

describe("durability across SIGKILL", () => {
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill("SIGKILL");
    if (servers[0]) removeDir(servers[0].dataDir);
  });

  it("keeps every acknowledged write after the server is killed with SIGKILL, three times over", async () => {
    let server = await startServerProcess();
    servers.push(server);
    const dataDir = server.dataDir;
    const expected = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      const cp = client(server.endpoint);
      for (let i = 0; i < 10; i++) {
        const name = `crash-${round}-${i}`;
        await cp.send(
          new CreatePipelineCommand({
            pipeline: { ...structuredClone(fixture.pipeline), name },
            tags: [{ key: "round", value: String(round) }],
          }),
        );
        expected.set(name, 1);
      }
      // Update the previous round's pipelines so versions move too.
      for (const [name, version] of expected) {
        if (!name.startsWith(`crash-${round}-`) && version === 1) {
          await cp.send(
            new UpdatePipelineCommand({ pipeline: { ...structuredClone(fixture.pipeline), name } }),
          );
          expected.set(name, 2);
        }
      }
      await server.kill("SIGKILL");
      server = await startServerProcess({ dataDir });
      servers.push(server);

      const after = client(server.endpoint);
      const listed = await after.send(new ListPipelinesCommand({ maxResults: 1000 }));
      expect(new Map(listed.pipelines?.map((p) => [p.name!, p.version!]))).toEqual(expected);
      const got = await after.send(new GetPipelineCommand({ name: `crash-${round}-9` }));
      const tags = await after.send(
        new ListTagsForResourceCommand({ resourceArn: got.metadata!.pipelineArn! }),
      );
      expect(tags.tags).toEqual([{ key: "round", value: String(round) }]);
    }
  });
});
