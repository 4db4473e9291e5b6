import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverActionTypes } from "../../src/main/server-action-types.js";
import { builtinActionTypes } from "../../src/model/action-types/builtin-action-types.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";
import { type Answer, BOTOCORE_DATA, loadModel, probeModel, sdkOperationNames, sendSigned } from "./probe.js";
import { GIT_ENDPOINTS, probeGit, probeRegistry, REGISTRY_ENDPOINTS } from "./protocol-probes.js";
import {
  brokenLinks,
  bulletNames,
  codeSpans,
  pagesIn,
  REFERENCE_DIR,
  type ReferencePage,
  readPage,
} from "./reference-pages.js";

// docs/reference/ holds one page per API the server answers and per action provider it runs. This
// test holds the pages to the running server, black-box: every operation of AWS's model (botocore)
// is sent with a minimal request, and what the server implements must be exactly what the page's
// `## Operations` lists; what the page says is not implemented must be answered as unsupported.

interface ApiPage {
  /** botocore's service name. */
  readonly model: string;
  /** The AWS SDK v3 client whose (newer) operation list is probed too, for JSON protocols. */
  readonly sdk?: string;
  /** The same operations served again under another target prefix and signing name. */
  readonly alsoAs?: { readonly targetPrefix: string; readonly signingName: string };
}

const API_PAGES: Record<string, ApiPage> = {
  codepipeline: { model: "codepipeline", sdk: "client-codepipeline" },
  codebuild: { model: "codebuild", sdk: "client-codebuild" },
  codecommit: { model: "codecommit", sdk: "client-codecommit" },
  "codestar-connections": {
    model: "codestar-connections",
    sdk: "client-codestar-connections",
    alsoAs: {
      targetPrefix: "com.amazonaws.codeconnections.CodeConnections_20231201",
      signingName: "codeconnections",
    },
  },
  ssm: { model: "ssm" },
  secretsmanager: { model: "secretsmanager" },
  sts: { model: "sts" },
  ecr: { model: "ecr", sdk: "client-ecr" },
  ecs: { model: "ecs", sdk: "client-ecs" },
  lambda: { model: "lambda" },
  s3: { model: "s3" },
  logs: { model: "logs" },
};
const PROTOCOL_PAGES = ["registry", "git"];

const API_SECTIONS = ["Operations", "Not implemented", "Differences from AWS"];
const ACTION_SECTIONS = [
  "Configuration",
  "Input and output artifacts",
  "Output variables",
  "Differences from AWS",
];
/** Pages under actions/ that are not a built-in provider. */
const CUSTOM_ACTIONS_PAGE = "custom";

const apiDir = join(REFERENCE_DIR, "api");
const actionsDir = join(REFERENCE_DIR, "actions");
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

function checkShape(page: ReferencePage, sections: readonly string[]): void {
  expect([...page.sections.keys()], `${page.file}: its sections`).toEqual(sections);
  expect(page.title, `${page.file}: a "# " title on the first line`).not.toBe("");
  expect(page.summary, `${page.file}: a summary paragraph under the title`).not.toBe("");
  expect(brokenLinks(page), `${page.file}: links to files or headings that do not exist`).toEqual([]);
  const differences = (page.sections.get("Differences from AWS") ?? "").split("\n");
  expect(
    differences.filter((l) => l.startsWith("- ")).length,
    `${page.file}: at least one bullet under Differences from AWS`,
  ).toBeGreaterThan(0);
}

/**
 * Compares what the server answers with what a page says: `answers` maps every operation of the
 * model (and every documented one the model lacks but the protocol can still address) to its answer.
 */
function checkAgainstAnswers(page: ReferencePage, answers: ReadonlyMap<string, Answer>): void {
  const documented = bulletNames(page.sections.get("Operations"));
  const notImplemented = codeSpans(page.sections.get("Not implemented"));
  const implemented = [...answers].filter(([, a]) => a === "implemented").map(([op]) => op);
  const problems: string[] = [];
  const report = (names: string[], what: string) => {
    if (names.length > 0) problems.push(`${what}: ${sorted(names).join(", ")}`);
  };
  report(
    [...answers].filter(([, a]) => a === "unknown").map(([op]) => op),
    "operations of AWS's model the server calls unknown (UnknownOperationException) instead of answering that they are not implemented (or answer differently under the two target prefixes)",
  );
  report(
    documented.filter((op, i) => documented.indexOf(op) !== i),
    "listed twice under ## Operations",
  );
  report(
    implemented.filter((op) => !documented.includes(op)),
    "implemented by the server but not listed under ## Operations",
  );
  report(
    documented.filter((op) => answers.get(op) !== "implemented"),
    "listed under ## Operations but not implemented by the server (or not in the model)",
  );
  report(
    notImplemented.filter((op) => answers.get(op) !== "unsupported"),
    "listed under ## Not implemented but not in the model, or not answered as unsupported",
  );
  expect(problems.join("\n"), `${page.file} disagrees with the server`).toBe("");
}

describe("reference pages: the index", () => {
  it("links every reference page, and each page's links resolve", () => {
    const index = readPage(join(REFERENCE_DIR, "README.md"));
    expect(brokenLinks(index), "docs/reference/README.md: broken links").toEqual([]);
    const pages = [
      ...pagesIn(apiDir).map((p) => `api/${p}.md`),
      ...pagesIn(actionsDir).map((p) => `actions/${p}.md`),
    ];
    expect(
      pages.filter((p) => !index.text.includes(`](${p})`)),
      "reference pages the index does not link",
    ).toEqual([]);
  });

  it("has exactly one page per checked API and protocol", () => {
    expect(pagesIn(apiDir)).toEqual(sorted([...Object.keys(API_PAGES), ...PROTOCOL_PAGES]));
    for (const name of pagesIn(apiDir)) checkShape(readPage(join(apiDir, `${name}.md`)), API_SECTIONS);
  });
});

describe("reference pages: action providers", () => {
  const providers = sorted(serverActionTypes.map((t) => t.provider));

  it("has a page for every provider the server runs, and only for those (and custom actions)", () => {
    expect(pagesIn(actionsDir)).toEqual(
      sorted([...providers.map((p) => p.toLowerCase()), CUSTOM_ACTIONS_PAGE]),
    );
    for (const name of pagesIn(actionsDir))
      checkShape(readPage(join(actionsDir, `${name}.md`)), ACTION_SECTIONS);
  });

  it.each(providers)(
    "%s: the page names its action types and documents exactly their configuration properties",
    (provider) => {
      const page = readPage(join(actionsDir, `${provider.toLowerCase()}.md`));
      const types = serverActionTypes.filter((t) => t.provider === provider);
      for (const t of types)
        expect(
          page.summary,
          `${page.file}: the summary names ${t.category}/${t.owner}/${t.provider}`,
        ).toContain(`${t.category}/${t.owner}/${t.provider}`);
      const properties = new Map<string, boolean>();
      for (const spec of builtinActionTypes)
        if (
          types.some(
            (t) =>
              t.category === spec.id.category && t.provider === spec.id.provider && t.owner === spec.id.owner,
          )
        )
          for (const p of spec.actionConfigurationProperties) properties.set(p.name, p.required);
      const lines = (page.sections.get("Configuration") ?? "").split("\n").filter((l) => l.startsWith("- `"));
      const documented = new Map(
        lines.map((l) => [/^- `([^`]+)`/u.exec(l)![1]!, /^- `[^`]+` \(required\)/u.test(l)] as const),
      );
      expect(
        sorted(documented.keys()),
        `${page.file}: configuration properties ("- \`Name\` (required|optional): ...")`,
      ).toEqual(sorted(properties.keys()));
      for (const [name, required] of properties)
        expect(documented.get(name), `${page.file}: whether ${name} is marked (required)`).toBe(required);
    },
  );
});

const haveBotocore = existsSync(BOTOCORE_DATA);
const botocoreNote = haveBotocore
  ? "(botocore's model)"
  : `(skipped: no botocore models at ${BOTOCORE_DATA}; apt-get install python3-botocore)`;

describe("reference pages: APIs against a running server", () => {
  let server: ServerProcess;
  /** Probes answered with a server error: a minimal request must never break an operation. */
  const serverErrors: string[] = [];
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it.skipIf(!haveBotocore).each(Object.entries(API_PAGES))(
    `%s: ## Operations is what the server implements ${botocoreNote}`,
    async (name, spec) => {
      const model = loadModel(spec.model);
      if (!model) throw new Error(`botocore has no model of ${spec.model} under ${BOTOCORE_DATA}`);
      const page = readPage(join(apiDir, `${name}.md`));
      // Names the page gives that botocore lacks are probed too (a JSON operation is addressed by
      // its name alone): with the SDK's names they cover operations newer than Debian's botocore.
      const pageNames = [
        ...bulletNames(page.sections.get("Operations")),
        ...codeSpans(page.sections.get("Not implemented")),
      ];
      const sdkNames = spec.sdk ? sdkOperationNames(spec.sdk) : [];
      const extra = [...new Set([...sdkNames, ...pageNames])];
      const runs = await Promise.all([
        probeModel(server.endpoint, model, {}, extra),
        ...(spec.alsoAs ? [probeModel(server.endpoint, model, spec.alsoAs, extra)] : []),
      ]);
      const answers = new Map<string, Answer>();
      for (const run of runs)
        for (const r of run) {
          if (r.status >= 500 && r.code !== "NotImplemented")
            serverErrors.push(`${name} ${r.operation}: ${r.status} ${r.code ?? ""}`);
          // A name only the page gives, unknown to the server, is no AWS operation: left out, so
          // the page's mention of it fails below.
          if (r.answer === "unknown" && !(r.operation in model.operations) && !sdkNames.includes(r.operation))
            continue;
          // Both prefixes must agree: an operation served under only one of them is a difference.
          const before = answers.get(r.operation);
          answers.set(r.operation, before === undefined || before === r.answer ? r.answer : "unknown");
        }
      checkAgainstAnswers(page, answers);
    },
  );

  it("registry: ## Operations is what the server serves of the OCI distribution API", async () => {
    const page = readPage(join(apiDir, "registry.md"));
    const answers = await probeRegistry(server.endpoint);
    expect(answers.size).toBe(REGISTRY_ENDPOINTS.length);
    checkAgainstAnswers(page, answers);
  });

  it("git: ## Operations is what the server serves of git's HTTP transport", async () => {
    const page = readPage(join(apiDir, "git.md"));
    const created = await sendSigned(server.endpoint, "codecommit", {
      method: "POST",
      path: "/",
      query: {},
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "CodeCommit_20150413.CreateRepository",
      },
      body: JSON.stringify({ repositoryName: "pw-ref-probe" }),
    });
    expect(created.status, created.body).toBe(200);
    const answers = await probeGit(server.endpoint, "pw-ref-probe");
    expect(answers.size).toBe(GIT_ENDPOINTS.length);
    checkAgainstAnswers(page, answers);
  });

  it("answered every probe without a server error, and still serves", async () => {
    expect(serverErrors, "operations that answered 5xx to a minimal request").toEqual([]);
    const health = await fetch(`${server.endpoint}/_pipewright/health`);
    expect(health.status).toBe(200);
    expect(server.output(), "a stack trace in the server's output").not.toMatch(/\n\s+at \S+ \(/u);
  });
});
