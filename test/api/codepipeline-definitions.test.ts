import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestApi } from "../support/test-api.js";

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/pipelines/basic-v1.json"), "utf8"),
);

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
function pipeline(name: string, change: (p: any) => void = () => {}) {
  const p = structuredClone(fixture.pipeline);
  p.name = name;
  change(p);
  return p;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
const githubSource = (p: any) => {
  p.stages[0].actions[0] = {
    name: "Source",
    actionTypeId: { category: "Source", owner: "ThirdParty", provider: "GitHub", version: "1" },
    configuration: { Owner: "org", Repo: "app", Branch: "main", OAuthToken: "ghp_secret_value" },
    outputArtifacts: [{ name: "SourceOutput" }],
  };
};

describe("CodePipeline pipeline definitions over the in-process API", () => {
  it("echoes AWS's defaults on create: version 1, runOrder 1, empty arrays, V1 and SUPERSEDED", async () => {
    const api = createTestApi();
    const created = await api.call("CreatePipeline", { pipeline: pipeline("defaults") });
    expect(created.status).toBe(200);
    const p = created.body.pipeline;
    expect(p.version).toBe(1);
    expect(p.pipelineType).toBe("V1");
    expect(p.executionMode).toBe("SUPERSEDED");
    expect(p.stages[0].actions[0].runOrder).toBe(1);
    expect(p.stages[0].actions[0].inputArtifacts).toEqual([]);
    expect(created.body.tags).toBeUndefined();
  });

  it("moves the version and `updated` on update and keeps `created` and old versions", async () => {
    const api = createTestApi();
    await api.call("CreatePipeline", { pipeline: pipeline("versions") });
    api.clock.advance(5_000);
    const updated = await api.call("UpdatePipeline", {
      pipeline: pipeline("versions", (p) => {
        p.stages[1].actions[0].configuration.ProjectName = "second";
      }),
    });
    expect(updated.body.pipeline.version).toBe(2);
    const current = await api.call("GetPipeline", { name: "versions" });
    expect(current.body.metadata.updated - current.body.metadata.created).toBe(5);
    expect(current.body.metadata.created).toBe(Date.UTC(2026, 10, 22, 12, 0, 0) / 1000);
    const first = await api.call("GetPipeline", { name: "versions", version: 1 });
    expect(first.body.pipeline.stages[1].actions[0].configuration.ProjectName).toBe("app-build");
    const missing = await api.call("GetPipeline", { name: "versions", version: 3 });
    expect(missing.body.__type).toBe("PipelineVersionNotFoundException");
  });

  it("refuses a second pipeline with the same name with AWS's InvalidStructureException message", async () => {
    const api = createTestApi();
    await api.call("CreatePipeline", { pipeline: pipeline("twice") });
    const again = await api.call("CreatePipeline", { pipeline: pipeline("twice") });
    expect(again.body).toMatchObject({
      __type: "InvalidStructureException",
      message: "A pipeline with the name 'twice' already exists in account '123456789012'",
    });
  });

  it("answers UpdatePipeline of a missing pipeline with ResourceNotFoundException", async () => {
    const api = createTestApi();
    const result = await api.call("UpdatePipeline", { pipeline: pipeline("ghost") });
    expect(result.body).toEqual({
      __type: "ResourceNotFoundException",
      message: "The account with id '123456789012' does not include a pipeline with the name 'ghost'",
    });
  });

  it("attaches every validation issue while answering with the first one's exception", async () => {
    const api = createTestApi();
    const result = await api.call("CreatePipeline", {
      pipeline: pipeline("many-problems", (p) => {
        p.stages[1].name = "Source";
        p.stages[1].actions[0].configuration = {};
      }),
    });
    expect(result.status).toBe(400);
    expect(result.body.validationIssues.length).toBeGreaterThanOrEqual(2);
    for (const issue of result.body.validationIssues) {
      expect(Object.keys(issue).sort()).toEqual(["code", "message", "path", "severity"]);
    }
    expect(result.body.message).toBe(
      // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
      result.body.validationIssues.find((i: any) => i.severity === "error").message,
    );
  });

  it("masks secret configuration as **** and keeps the stored secret when an update sends **** back", async () => {
    const api = createTestApi();
    const created = await api.call("CreatePipeline", { pipeline: pipeline("secret", githubSource) });
    expect(created.body.pipeline.stages[0].actions[0].configuration.OAuthToken).toBe("****");
    const got = await api.call("GetPipeline", { name: "secret" });
    const echoed = got.body.pipeline;
    expect(echoed.stages[0].actions[0].configuration.OAuthToken).toBe("****");
    const scope = { accountId: "123456789012", region: "us-east-1" };
    const tokenOf = async (version: number) =>
      (await api.stores.pipelines.get(scope, "secret", version))?.declaration.stages[0]?.actions[0]
        ?.configuration?.OAuthToken;
    // Stored sealed (docs/secrets.md), never in clear.
    const sealed = await tokenOf(1);
    expect(sealed).toMatch(/^pipewright:sealed:v1:/u);
    expect(sealed).not.toContain("ghp_secret_value");
    const updated = await api.call("UpdatePipeline", { pipeline: echoed });
    expect(updated.status).toBe(200);
    // `****` kept the stored value: sealed again, so the ciphertext differs but not the token.
    const resealed = await tokenOf(2);
    expect(resealed).toMatch(/^pipewright:sealed:v1:/u);
    expect(resealed).not.toContain("ghp_secret_value");
    const changed = await api.call("UpdatePipeline", {
      pipeline: {
        ...echoed,
        stages: [
          {
            ...echoed.stages[0],
            actions: [
              {
                ...echoed.stages[0].actions[0],
                configuration: { ...echoed.stages[0].actions[0].configuration, OAuthToken: "ghp_other" },
              },
            ],
          },
          ...echoed.stages.slice(1),
        ],
      },
    });
    expect(changed.status).toBe(200);
    expect(await tokenOf(3)).not.toBe(resealed);
  });

  it("pages ListPipelines in name order with maxResults and refuses a forged token", async () => {
    const api = createTestApi();
    for (const name of ["c", "a", "e", "b", "d"])
      await api.call("CreatePipeline", { pipeline: pipeline(name) });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await api.call("ListPipelines", { maxResults: 2, ...(token ? { nextToken: token } : {}) });
      seen.push(...page.body.pipelines.map((p: { name: string }) => p.name));
      token = page.body.nextToken;
      pages++;
    } while (token);
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
    expect(pages).toBe(3);
    const forged = await api.call("ListPipelines", {
      nextToken: "eyJrIjoiTGlzdEFjdGlvblR5cGVzIiwiYSI6ImEifQ",
    });
    expect(forged.body.__type).toBe("InvalidNextTokenException");
  });

  it("keeps pipelines apart per region", async () => {
    const api = createTestApi();
    await api.call("CreatePipeline", { pipeline: pipeline("regional") }, "eu-west-1");
    expect((await api.call("ListPipelines", {})).body.pipelines).toEqual([]);
    const there = await api.call("GetPipeline", { name: "regional" }, "eu-west-1");
    expect(there.body.metadata.pipelineArn).toBe("arn:aws:codepipeline:eu-west-1:123456789012:regional");
  });

  it("limits tags to 50 per resource with AWS's message and refuses aws: keys", async () => {
    const api = createTestApi();
    await api.call("CreatePipeline", { pipeline: pipeline("tagged") });
    const arn = "arn:aws:codepipeline:us-east-1:123456789012:tagged";
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect((await api.call("TagResource", { resourceArn: arn, tags: fifty })).status).toBe(200);
    const overwrite = await api.call("TagResource", {
      resourceArn: arn,
      tags: [{ key: "k1", value: "new" }],
    });
    expect(overwrite.status).toBe(200);
    const tooMany = await api.call("TagResource", { resourceArn: arn, tags: [{ key: "k50", value: "v" }] });
    expect(tooMany.body).toEqual({
      __type: "TooManyTagsException",
      message: `Tag limit exceeded for resource [${arn}].`,
    });
    const listed = await api.call("ListTagsForResource", { resourceArn: arn });
    expect(listed.body.tags).toHaveLength(50);
    expect(listed.body.tags.find((t: { key: string }) => t.key === "k1").value).toBe("new");
    const system = await api.call("UntagResource", {
      resourceArn: arn,
      tagKeys: ["aws:cloudformation:stack-name"],
    });
    expect(system.body.__type).toBe("InvalidTagsException");
    const badArn = await api.call("ListTagsForResource", {
      resourceArn: "arn:aws:codepipeline:us-east-1:12:x",
    });
    expect(badArn.body.__type).toBe("ValidationException");
  });

  it("refuses more than 50 tags at creation and creates nothing", async () => {
    const api = createTestApi();
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    const result = await api.call("CreatePipeline", { pipeline: pipeline("over"), tags });
    expect(result.body.__type).toBe("TooManyTagsException");
    expect((await api.call("GetPipeline", { name: "over" })).body.__type).toBe("PipelineNotFoundException");
  });

  it("stops at AWS's quota of 1,000 pipelines per region with LimitExceededException", async () => {
    const api = createTestApi();
    for (let i = 0; i < 1000; i++) {
      const r = await api.call("CreatePipeline", { pipeline: pipeline(`p${i}`) });
      expect(r.status).toBe(200);
    }
    const over = await api.call("CreatePipeline", { pipeline: pipeline("one-too-many") });
    expect(over.body.__type).toBe("LimitExceededException");
    const elsewhere = await api.call("CreatePipeline", { pipeline: pipeline("one-too-many") }, "us-west-2");
    expect(elsewhere.status).toBe(200);
  });
});

describe("custom action types over the in-process API", () => {
  const jenkins = {
    category: "Test",
    provider: "Jenkins",
    version: "1",
    settings: { entityUrlTemplate: "https://jenkins.example/job/{Config:ProjectName}" },
    configurationProperties: [
      { name: "ProjectName", required: true, key: true, secret: false, queryable: true, type: "String" },
      { name: "Token", required: false, key: false, secret: true },
    ],
    inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
    outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
  };

  it("creates a type owned by Custom that pipelines can then use, with secrets masked", async () => {
    const api = createTestApi();
    const created = await api.call("CreateCustomActionType", jenkins);
    expect(created.body.actionType.id).toEqual({
      category: "Test",
      owner: "Custom",
      provider: "Jenkins",
      version: "1",
    });
    const withCustom = pipeline("uses-jenkins", (p) => {
      p.stages[1].actions.push({
        name: "Jenkins",
        runOrder: 2,
        actionTypeId: { category: "Test", owner: "Custom", provider: "Jenkins", version: "1" },
        configuration: { ProjectName: "app-tests", Token: "t0ken" },
        inputArtifacts: [{ name: "BuildOutput" }],
      });
    });
    const made = await api.call("CreatePipeline", { pipeline: withCustom });
    expect(made.status).toBe(200);
    expect(made.body.pipeline.stages[1].actions[1].configuration.Token).toBe("****");

    const got = await api.call("GetActionType", {
      category: "Test",
      owner: "Custom",
      provider: "Jenkins",
      version: "1",
    });
    expect(got.body.actionType.properties[1]).toMatchObject({ name: "Token", optional: true, noEcho: true });
    expect(got.body.actionType.urls.entityUrlTemplate).toBe(jenkins.settings.entityUrlTemplate);

    await api.call("DeleteCustomActionType", { category: "Test", provider: "Jenkins", version: "1" });
    const rejected = await api.call("CreatePipeline", { pipeline: { ...withCustom, name: "after-delete" } });
    expect(rejected.body.__type).toBe("InvalidActionDeclarationException");
    const restored = await api.call("CreateCustomActionType", jenkins);
    expect(restored.status).toBe(200);
  });

  it("refuses two queryable properties, a secret queryable one, and a URL template naming a secret", async () => {
    const api = createTestApi();
    const two = structuredClone(jenkins);
    two.configurationProperties[1]!.queryable = true;
    expect((await api.call("CreateCustomActionType", two)).body.message).toMatch(
      /Only one configuration property can be queryable/u,
    );
    const secretTemplate = structuredClone(jenkins);
    secretTemplate.settings.entityUrlTemplate = "https://x/{Config:Token}";
    expect((await api.call("CreateCustomActionType", secretTemplate)).body.message).toMatch(
      /must be a required, non-secret configuration property/u,
    );
  });

  it("answers GetActionType for an unknown type with ActionTypeNotFoundException", async () => {
    const api = createTestApi();
    const result = await api.call("GetActionType", {
      category: "Build",
      owner: "Custom",
      provider: "Nope",
      version: "1",
    });
    expect(result.body.__type).toBe("ActionTypeNotFoundException");
  });

  it("lists built-in types for owner AWS, including CodeBuild under Build and Test", async () => {
    const api = createTestApi();
    const result = await api.call("ListActionTypes", { actionOwnerFilter: "AWS" });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
    const ids = result.body.actionTypes.map((t: any) => `${t.id.category}/${t.id.provider}`);
    expect(ids).toEqual(
      expect.arrayContaining(["Build/CodeBuild", "Test/CodeBuild", "Source/CodeCommit", "Approval/Manual"]),
    );
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
    expect(result.body.actionTypes.every((t: any) => t.id.owner === "AWS")).toBe(true);
  });
});
