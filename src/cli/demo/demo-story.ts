import { join } from "node:path";
import { createAppWorkingCopy } from "./app-repository.js";
import type { DemoApi } from "./demo-api.js";
import type { DemoMode } from "./demo-mode.js";
import { createDemoPipeline, createDemoResources } from "./demo-resources.js";
import { startLoad } from "./load-generator.js";
import { describeDemoService, servedVersion } from "./service-endpoint.js";
import { executionOf, type WatchedExecution, type WatchOptions, watchExecution } from "./watch-execution.js";

/** One claim the demo checked, for the summary and the exit code. */
export interface DemoCheck {
  readonly what: string;
  readonly held: boolean;
  readonly detail: string;
}

export interface DemoRun {
  readonly label: string;
  readonly commit: string;
  readonly execution?: WatchedExecution;
}

export interface DemoOutcome {
  readonly runs: readonly DemoRun[];
  readonly checks: readonly DemoCheck[];
  readonly productionUrl?: string;
}

export interface StoryOptions extends WatchOptions {
  readonly dir: string;
  readonly accountId: string;
  readonly gitCredentials?: { readonly user: string; readonly password: string };
}

/**
 * Issue 16's story, steps 1 to 8, through the public APIs: resources, v1 through the whole
 * pipeline, v2 rolled out under load, a broken v3 stopped by the circuit breaker. Never throws
 * for what the pipeline does: each claim becomes a DemoCheck; it throws only when the demo
 * itself cannot go on (the server stops answering, a resource cannot be created).
 */
export async function runDemoStory(api: DemoApi, mode: DemoMode, o: StoryOptions): Promise<DemoOutcome> {
  const checks: DemoCheck[] = [];
  const runs: DemoRun[] = [];
  const check = (what: string, held: boolean, detail: string) => {
    checks.push({ what, held, detail });
    o.print(`  ${held ? "ok  " : "FAIL"} ${what}: ${detail}`);
    return held;
  };

  o.print(
    "\n1. Creating the hosted repository, registry repository, clusters, services, build project, functions",
  );
  const resources = await createDemoResources(api, mode, {
    releasesDir: join(o.dir, "releases"),
    accountId: o.accountId,
  });
  const cloneUrl = new URL(resources.cloneUrl);
  if (o.gitCredentials) {
    cloneUrl.username = encodeURIComponent(o.gitCredentials.user);
    cloneUrl.password = encodeURIComponent(o.gitCredentials.password);
  }
  const app = await createAppWorkingCopy(join(o.dir, "app"), cloneUrl.href);
  const v1 = await app.commitAndPush("demo-app v1");
  o.print(`   pushed v1 (${v1.slice(0, 7)}) to ${resources.cloneUrl}; working copy in ${app.dir}`);
  await createDemoPipeline(api, o.accountId);

  o.print(
    "\n2-7. Pipeline demo, v1: Source -> Build -> DeployIntegration -> IntegrationTest -> Cleanup -> Approve -> DeployProduction",
  );
  const first = await watchExecution(api, await executionOf(api, v1, o), o);
  runs.push({ label: "v1", commit: v1, execution: first });
  if (!check("v1 went through every stage", first.status === "Succeeded", first.status))
    return { runs, checks };
  const production = await describeDemoService(api, "production");
  const url = production.endpoint ? `${production.endpoint}/` : undefined;
  if (!url) {
    check("production has a load balancer endpoint", false, "DescribeServices shows no pipewrightEndpoint");
    return { runs, checks };
  }
  check(
    "production serves v1 behind its load balancer",
    (await servedVersion(url)) === "v1",
    `${url} shows ${await servedVersion(url)}`,
  );
  const integration = await describeDemoService(api, "integration");
  check(
    "Cleanup scaled the integration service to 0",
    integration.desiredCount === 0,
    `desiredCount ${integration.desiredCount}`,
  );

  o.print(`\n8. v2: a change pushed while 4 clients request ${url} continuously`);
  const load = await startLoad(url);
  app.setVersion("v2");
  const v2 = await app.commitAndPush("demo-app v2: new page version");
  o.print(`   pushed v2 (${v2.slice(0, 7)})`);
  const second = await watchExecution(api, await executionOf(api, v2, o), o);
  runs.push({ label: "v2", commit: v2, execution: second });
  const report = await load.stop();
  check("v2 went through every stage", second.status === "Succeeded", second.status);
  const seen = Object.entries(report.versions)
    .map(([v, n]) => `${v} ${n}`)
    .join(", ");
  check(
    "no failed request during the v2 rollout",
    report.failed === 0 && report.requests > 0,
    `${report.requests} requests, ${report.failed} failed (${seen})${report.failures.length ? `; first: ${report.failures.join("; ")}` : ""}`,
  );
  check(
    "production serves v2",
    (await servedVersion(url)) === "v2",
    `${url} shows ${await servedVersion(url)}`,
  );
  const productionV2 = (await describeDemoService(api, "production")).taskDefinition;
  const integrationV2 = (await describeDemoService(api, "integration")).taskDefinition;

  o.print("\n8. v3: a broken page (written as index.htm, so GET / is 404 and the health check fails)");
  app.setVersion("v3");
  app.breakThePage();
  const v3 = await app.commitAndPush("demo-app v3: rename the page (broken)");
  o.print(`   pushed v3 (${v3.slice(0, 7)})`);
  const third = await watchExecution(api, await executionOf(api, v3, o), o);
  runs.push({ label: "v3", commit: v3, execution: third });
  const stoppedAt = third.stages.find((s) => s.status === "Failed");
  check(
    "the circuit breaker stopped v3",
    third.status === "Failed" && /circuit breaker/iu.test(stoppedAt?.message ?? ""),
    `${third.status} at ${stoppedAt?.stage ?? "-"}: ${stoppedAt?.message?.split("\n")[0] ?? "no failure"}`,
  );
  const afterV3 = await describeDemoService(api, "integration");
  const primary = afterV3.deployments.find((d) => d.status === "PRIMARY");
  const name = (arn: string | undefined) => arn?.split("/").pop() ?? "-";
  check(
    "the integration service rolled v3 back to v2",
    primary?.taskDefinition === integrationV2,
    `PRIMARY deployment runs ${name(primary?.taskDefinition)} (v2 was ${name(integrationV2)})`,
  );
  const productionNow = await describeDemoService(api, "production");
  const versions = await Promise.all(Array.from({ length: 6 }, () => servedVersion(url)));
  check(
    "production keeps serving v2",
    versions.every((v) => v === "v2") && productionNow.taskDefinition === productionV2,
    `${url} showed ${[...new Set(versions)].join(", ")} in ${versions.length} requests; task definition ${name(productionNow.taskDefinition)}`,
  );
  return { runs, checks, productionUrl: url };
}
