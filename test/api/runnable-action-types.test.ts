import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serverActionTypes, serverRuns } from "../../src/main/server-action-types.js";
import { actionTypeKey } from "../../src/model/action-types/action-type.js";
import { builtinActionTypes } from "../../src/model/action-types/builtin-action-types.js";
import { createTestWorld } from "../support/test-world.js";

// `pipewright validate` (offline) and CreatePipeline (on a server) warn about the same providers:
// the ones the server's providers do not run (issue 14, item 5).

// A CodeCommit source, a CodeBuild build, a manual approval and a CloudFormation deploy (which
// Pipewright cannot run): test/cli/validate-command.test.ts validates the same file offline.
const mixedPipeline = JSON.parse(
  readFileSync(new URL("../fixtures/pipelines/mixed-providers.json", import.meta.url), "utf8"),
).pipeline as {
  stages: { name: string; actions: object[] }[];
};

describe("the action types a server runs", () => {
  it("are the ones an assembled server's providers run, no more and no fewer", async () => {
    const world = createTestWorld({ startOnCreate: false });
    const catalog = await world.actionTypes.catalogFor({ accountId: "000000000000", region: "us-east-1" });
    const executable = builtinActionTypes
      .filter((spec) => catalog.find(spec.id)?.executable)
      .map((spec) => actionTypeKey(spec.id))
      .sort();
    expect(executable).toEqual(serverActionTypes.map(actionTypeKey).sort());
    for (const spec of builtinActionTypes)
      expect(serverRuns(spec.id)).toBe(executable.includes(actionTypeKey(spec.id)));
  });

  it("CreatePipeline and UpdatePipeline answer with a warning for each action the server cannot run", async () => {
    const world = createTestWorld({ startOnCreate: false });
    const created = await world.call("CreatePipeline", { pipeline: mixedPipeline });
    expect(created.status).toBe(200);
    expect(created.body.validationIssues).toEqual([
      {
        path: "pipeline.stages[1].actions[2].actionTypeId",
        code: "ProviderNotExecutable",
        severity: "warning",
        message: expect.stringContaining("'CloudFormation'"),
      },
    ]);
    const withoutStack = {
      ...mixedPipeline,
      stages: [
        mixedPipeline.stages[0],
        { ...mixedPipeline.stages[1]!, actions: mixedPipeline.stages[1]!.actions.slice(0, 2) },
      ],
    };
    const updated = await world.call("UpdatePipeline", { pipeline: withoutStack });
    expect(updated.status).toBe(200);
    expect(updated.body).not.toHaveProperty("validationIssues");
  });
});

describe("docs/compatibility.md", () => {
  it("names every provider the server runs under 'What runs today'", async () => {
    const text = readFileSync(new URL("../../docs/compatibility.md", import.meta.url), "utf8");
    const section = text.slice(text.indexOf("## What runs today"), text.indexOf("## Implemented (CodeBuild"));
    for (const id of serverActionTypes) expect(section).toContain(`\`${id.provider}\``);
    expect(section).not.toMatch(/CodeBuild (and ECS )?(is|are) (the )?next/iu);
  });
});
