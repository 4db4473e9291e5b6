import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emptyLanes } from "../../engine/lanes.js";
import type { ActionTypeSpec } from "../../model/action-types/action-type.js";
import type { BuildStore } from "../build-store-types.js";
import { buildRecord, logLines, projectRecord, reportRecord } from "../contract/build-builders.contract.js";
import { T0 } from "../contract/builders.contract.js";
import { serviceRecord, taskDefinitionRecord, taskRecord } from "../contract/ecs-builders.contract.js";
import { createPusher } from "../contract/repository-builders.contract.js";
import {
  actionStarted,
  actionSucceeded,
  buildType,
  claimRequest,
  continuation,
  creation,
  jobSpec,
  pipelineName,
  runCommit,
  stageEntered,
  started,
} from "../contract/run-builders.contract.js";
import { actionTypeKeyOf } from "../run-records.js";
import type { EcsStore, ObjectStore, RepositoryStore, RunStore, Stores, WorkQueue } from "../types.js";
import { createSqliteStoresOn } from "./create-sqlite-stores.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { preparedSql } from "./prepared.js";

const scope = { accountId: "111111111111", region: "us-east-1" };
const spec: ActionTypeSpec = {
  id: { category: "Build", owner: "Custom", provider: "Builder", version: "1" },
  actionConfigurationProperties: [],
  inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
  outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
  executable: false,
};

/** Calls every method, so that every query the stores use gets prepared. */
async function exercise(stores: Stores): Promise<void> {
  const declaration = { name: "app", roleArn: "arn:aws:iam::1:role/r", stages: [] };
  await stores.pipelines.create({ scope, name: "app", version: 1, declaration, created: 0, updated: 0 });
  await stores.pipelines.update(scope, "app", 1, declaration, 1);
  await stores.pipelines.get(scope, "app");
  await stores.pipelines.get(scope, "app", 1);
  await stores.pipelines.list(scope, { limit: 10 });
  await stores.pipelines.list(scope, { after: "a", limit: 10 });
  await stores.pipelines.count(scope);
  await stores.pipelines.scopes();
  const conn = {
    scope,
    connectionId: "00000000-0000-4000-8000-000000000001",
    connectionName: "c",
    providerType: "GitHub",
    tags: [],
    created: 1,
  };
  await stores.connections.create(conn);
  await stores.connections.get(scope, conn.connectionId);
  await stores.connections.list(scope, { limit: 10 });
  await stores.connections.list(scope, { after: "0", limit: 10 });
  await stores.connections.remove(scope, conn.connectionId);
  await exerciseSecrets(stores);
  await stores.pipelines.remove(scope, "app");
  await stores.actionTypes.create({ scope, spec, created: 0 });
  await stores.actionTypes.get(scope, spec.id);
  await stores.actionTypes.list(scope);
  await stores.actionTypes.markDeleted(scope, spec.id, 1);
  await stores.tags.put("arn", [{ key: "k", value: "v" }]);
  await stores.tags.get("arn");
  await exerciseRuns(stores.runs, stores.queue);
  await exerciseTasks(stores.queue);
  await exerciseObjects(stores.objects);
  await exerciseRepositories(stores.repositories);
  await exerciseBuilds(stores.builds);
  await exerciseEcs(stores.ecs);
}

/** Every EcsStore method, each query shape included. */
async function exerciseEcs(ecs: EcsStore): Promise<void> {
  const cluster = {
    clusterArn: "a",
    clusterName: "c",
    status: "ACTIVE" as const,
    tags: [],
    settings: [],
    createdAt: T0,
  };
  await ecs.putCluster({ scope, version: 1, cluster });
  await ecs.getCluster(scope, "c");
  await ecs.listClusters(scope);
  await ecs.registerTaskDefinition(taskDefinitionRecord("web", 1));
  await ecs.updateTaskDefinition(taskDefinitionRecord("web", 1, { status: "INACTIVE" }));
  await ecs.getTaskDefinition(scope, "web");
  await ecs.getTaskDefinition(scope, "web", 1);
  await ecs.lastRevision(scope, "web");
  await ecs.listTaskDefinitions(scope, {});
  await ecs.listTaskDefinitions(scope, { familyPrefix: "w", status: "ACTIVE" });
  await ecs.listTaskDefinitionFamilies(scope, {});
  await ecs.listTaskDefinitionFamilies(scope, { familyPrefix: "w", status: "ACTIVE" });
  await ecs.putService(serviceRecord("c", "s", 1));
  await ecs.getService(scope, "c", "s");
  await ecs.listServices(scope, "c");
  await ecs.servicesToSchedule();
  await ecs.removeService(scope, "c", "s");
  await ecs.putTask(taskRecord("c", "t1", 1, { serviceName: "s" }));
  await ecs.getTask(scope, "c", "t1");
  await ecs.listTasks(scope, "c");
  await ecs.listTasks(scope, "c", { serviceName: "s" });
  await ecs.openTasks();
  await ecs.removeTask(scope, "c", "t1");
}

/** Every RepositoryStore method that reads or writes metadata, each list shape included. */
async function exerciseRepositories(repositories: RepositoryStore): Promise<void> {
  const record = {
    scope,
    repositoryId: "00000000-0000-4000-8000-000000000001",
    name: "repo",
    created: 0,
    lastModified: 0,
  };
  await repositories.create(record);
  await repositories.create({
    ...record,
    repositoryId: "00000000-0000-4000-8000-000000000002",
    name: "repo2",
  });
  await repositories.get(scope, "repo");
  for (const sortBy of ["repositoryName", "lastModifiedDate"] as const) {
    for (const descending of [false, true]) {
      const first = await repositories.list(scope, { sortBy, descending, limit: 1 });
      await repositories.list(scope, { sortBy, descending, limit: 1, after: first.nextAfter! });
    }
  }
  const pusher = await createPusher();
  try {
    const commit = await pusher.commit({ f: "1" });
    await pusher.push(repositories, record, { "refs/heads/main": [undefined, commit] });
  } finally {
    await pusher.cleanup();
  }
  await repositories.remove(scope, "repo");
}

/** Every ObjectStore method, and every shape of key range its list queries take. */
async function exerciseObjects(objects: ObjectStore): Promise<void> {
  const body = async function* () {
    yield new TextEncoder().encode("body");
  };
  const read = async (got: { body: AsyncIterable<Uint8Array> } | undefined) => {
    for await (const _ of got?.body ?? []) {
      // drained, so the file is closed
    }
  };
  await objects.createBucket({ scope, name: "b", created: 0 });
  await objects.getBucket("b");
  await objects.listBuckets(scope);
  await objects.putObject({ bucket: "b", key: "k", body: body(), now: 0 });
  await objects.putObject({ bucket: "b", key: "k", body: body(), now: 0 });
  await objects.deleteObject("b", "k", 0);
  await objects.setVersioning("b", "Enabled");
  const v1 = await objects.putObject({ bucket: "b", key: "k", body: body(), now: 0 });
  await objects.headObject("b", "k");
  await objects.headObject("b", "k", v1!.versionId);
  await read(await objects.getObject("b", "k"));
  await read(await objects.getObject("b", "k", { versionId: v1!.versionId, range: { start: 0, end: 1 } }));
  for (const options of [{}, { prefix: "k" }, { startAfter: "a" }, { prefix: "k", startAfter: "k" }]) {
    await objects.listObjects("b", { ...options, limit: 10 });
    await objects.listObjectVersions("b", { ...options, limit: 10 });
  }
  await objects.listObjectVersions("b", { keyMarker: "k", versionIdMarker: v1!.versionId, limit: 10 });
  await objects.deleteObject("b", "k", 0);
  await objects.deleteObject("b", "k", 0, v1!.versionId);
  await objects.deleteBucket("b");
  const versions = await objects.listObjectVersions("b", { limit: 10 });
  for (const version of versions) await objects.deleteObject("b", version.key, 0, version.versionId);
  await objects.deleteBucket("b");
}

/** Every RunStore method, and each path through commit: create, append, conflict, lanes insert and update. */
async function exerciseRuns(runs: RunStore, queue: WorkQueue): Promise<void> {
  const events = [started("e1", { token: "t" }), stageEntered("Build"), actionStarted("a1")];
  await runs.commit(
    runCommit({
      executions: [creation("e1", events)],
      lanes: { expectedVersion: 0, lanes: emptyLanes },
      enqueueJobs: [
        { jobId: "j1", spec: jobSpec("a1", { callbackToken: "tk" }), attempt: 1 },
        { jobId: "j2", spec: jobSpec("a2"), attempt: 1 },
      ],
    }),
  );
  const e1 = (await runs.getExecution("e1"))!;
  await runs.commit(runCommit({ executions: [creation("e2", [started("e2", { token: "t" })])] }));
  await runs.commit(
    runCommit({
      executions: [continuation(e1, [actionSucceeded("a1")])],
      lanes: { expectedVersion: 1, lanes: emptyLanes },
      jobTransitions: [{ jobId: "j1", from: ["Queued"], to: "InProgress", awaitingCallback: true }],
      cancelJobsOf: ["a9"],
    }),
  );
  await runs.getExecutions(["e1", "missing"]);
  await runs.events("e1");
  await runs.listExecutions(scope, pipelineName, { limit: 10 });
  await runs.listExecutions(scope, pipelineName, { after: "0", limit: 10 });
  await runs.latestExecutions(scope);
  await runs.findByClientRequestToken(scope, pipelineName, "t");
  await runs.countActive(scope, pipelineName);
  await runs.activeExecutions(10);
  await runs.dueExecutions(T0, 10);
  await runs.getLanes(scope, pipelineName);
  await runs.lanesWithPendingRollbacks(10);
  await queue.getJob("j2");
  const [job] = await queue.claimJobs(claimRequest({ actionTypeKeys: [actionTypeKeyOf(buildType)] }));
  await queue.claimJobs(claimRequest({ scope, queryValue: "q" }));
  await queue.acknowledgeJob(job!.jobId, job!.nonce!, T0 + 20, 1_000);
  await queue.renewLease(job!.jobId, T0 + 30, 1_000);
  await queue.expiredLeases(T0 + 10_000, 10);
  await queue.jobByCallbackToken("tk");
  await queue.jobsHeldBy("w1");
  await runs.removePipelineRuns(scope, pipelineName);
}

/** Every BuildStore method, and each shape of listBuildIds (project or not, either order, after or not). */
async function exerciseBuilds(builds: BuildStore): Promise<void> {
  await builds.createProject(projectRecord("app"));
  await builds.replaceProject(projectRecord("app", { description: "second" }));
  await builds.getProject(scope, "app");
  await builds.listProjects(scope);
  await builds.nextBuildNumber(scope, "app");
  await builds.putBuild(buildRecord("app", 1));
  await builds.putBuild(buildRecord("app", 2, { complete: true }));
  await builds.getBuild(scope, buildRecord("app", 1).document.id);
  for (const projectName of [undefined, "app"]) {
    for (const order of ["ASCENDING", "DESCENDING"] as const) {
      const first = await builds.listBuildIds(scope, { projectName, order, limit: 1 });
      await builds.listBuildIds(scope, { projectName, order, after: first.nextAfter!, limit: 1 });
    }
  }
  await builds.unfinishedBuilds();
  await builds.appendLog(scope, buildRecord("app", 1).document.id, logLines(1, 2));
  await builds.readLog(scope, buildRecord("app", 1).document.id, 1, 10);
  await builds.putReport(reportRecord("run-1"));
  await builds.getReport(scope, reportRecord("run-1").document.arn);
  await builds.deleteProject(scope, "app");
}

describe("sqlite query plans", () => {
  it("answers every query the stores prepare through a primary key, without a scan or a sort", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pipewright-plans-"));
    const db = openSqliteDatabase(join(dir, "pipewright.db"));
    try {
      await exercise(createSqliteStoresOn(db));
      const statements = preparedSql(db);
      expect(statements.length).toBeGreaterThanOrEqual(17);
      for (const sql of statements) {
        const parameters = Array.from(sql.matchAll(/\?/g), () => null);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[])
          .map((row) => row.detail)
          .join("; ");
        // A table scan (SCAN) or a sort (TEMP B-TREE) would make list cost grow with the number of
        // pipelines instead of the page size. Inserts have no plan at all.
        expect({ sql, plan }).toEqual({ sql, plan: expect.not.stringMatching(/\bSCAN\b|TEMP B-TREE/) });
        if (!/^\s*INSERT/.test(sql))
          expect({ sql, plan }).toEqual({ sql, plan: expect.stringMatching(/PRIMARY KEY|INDEX/) });
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every task operation of the work queue. */
async function exerciseTasks(queue: WorkQueue): Promise<void> {
  const task = (n: number) => ({ taskId: `t${n}`, kind: "build", key: `k${n}`, scope, payload: {} });
  for (const n of [1, 2, 3]) await queue.enqueue(task(n), T0);
  await queue.enqueue({ ...task(1), taskId: "t1b" }, T0);
  await queue.getTask("t1");
  await queue.findTask("build", "k1");
  await queue.claimTasks({ workerId: "w", now: T0, leaseMs: 10, capacity: { build: 3 } });
  await queue.heartbeat("t1", "w", T0 + 1, 10);
  await queue.heartbeat("t9", "w", T0 + 1, 10);
  await queue.complete("t1", "w", T0 + 2);
  await queue.fail("t2", "w", T0 + 2, "x", 5);
  await queue.cancel("t2", T0 + 3);
  await queue.cancel("t3", T0 + 3);
  await queue.expiredTasks(T0 + 100, 10);
  await queue.tasksHeldBy("w");
  await queue.rescue("t3", T0 + 100, "Failed", "lost", "w");
  await queue.openTasks("build", 10);
}

/** Every ParameterStore and SecretStore method, each list shape included. */
async function exerciseSecrets(stores: Stores): Promise<void> {
  const parameter = {
    scope,
    name: "/app/p",
    version: 1,
    type: "String" as const,
    sealedValue: "sealed",
    tier: "Standard",
    dataType: "text",
    tags: [],
    modified: 0,
    modifiedBy: "t",
  };
  for (let version = 1; version <= 101; version++) await stores.parameters.put({ ...parameter, version });
  await stores.parameters.get(scope, "/app/p");
  await stores.parameters.get(scope, "/app/p", 1);
  await stores.parameters.history(scope, "/app/p");
  await stores.parameters.list(scope, { limit: 10 });
  await stores.parameters.list(scope, { after: "/a", limit: 10 });
  await stores.parameters.list(scope, { prefix: "/app/", after: "/a", limit: 10 });
  await stores.parameters.remove(scope, "/app/p");
  const secret = { scope, name: "s", arn: "arn:s", tags: [], created: 0, lastChanged: 0 };
  const version = (n: number) => ({
    versionId: `v${n}`,
    stages: ["AWSCURRENT"],
    created: n,
    sealedString: "x",
  });
  await stores.secrets.create(secret, version(0));
  for (let n = 1; n <= 101; n++) await stores.secrets.addVersion(scope, "s", version(n), n);
  await stores.secrets.addVersion(scope, "s", version(1), 1);
  await stores.secrets.get(scope, "s");
  await stores.secrets.versions(scope, "s");
  await stores.secrets.getVersion(scope, "s", "v1");
  await stores.secrets.list(scope, { limit: 10 });
  await stores.secrets.scheduleDeletion(scope, "s", 1, 1);
  await stores.secrets.cancelDeletion(scope, "s", 2);
  await stores.secrets.remove(scope, "s");
}
