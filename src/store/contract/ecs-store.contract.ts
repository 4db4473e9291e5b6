import { describe, expect, it } from "vitest";
import { type CurrentStores, otherAccount, otherRegion, scope, T0 } from "./builders.contract.js";
import { serviceRecord, taskDefinitionRecord, taskRecord } from "./ecs-builders.contract.js";

const cluster = (name: string, version: number, status: "ACTIVE" | "INACTIVE" = "ACTIVE", s = scope) => ({
  scope: s,
  version,
  cluster: {
    clusterArn: `arn:aws:ecs:${s.region}:${s.accountId}:cluster/${name}`,
    clusterName: name,
    status,
    tags: [],
    settings: [],
    createdAt: T0,
  },
});

export function describeEcsStoreContract(current: CurrentStores): void {
  describe("ecs clusters", () => {
    it("creates a cluster at version 1 and changes it only from the version it read", async () => {
      const { ecs } = current().stores;
      expect(await ecs.putCluster(cluster("default", 1))).toEqual({ ok: true });
      expect(await ecs.putCluster(cluster("default", 1))).toEqual({ ok: false, reason: "VersionConflict" });
      expect(await ecs.putCluster(cluster("default", 3, "INACTIVE"))).toEqual({
        ok: false,
        reason: "VersionConflict",
      });
      expect(await ecs.putCluster(cluster("default", 2, "INACTIVE"))).toEqual({ ok: true });
      expect(await ecs.getCluster(scope, "default")).toEqual(cluster("default", 2, "INACTIVE"));
      expect(await ecs.getCluster(scope, "missing")).toBeUndefined();
    });

    it("lists a scope's clusters by name, and keeps other scopes apart", async () => {
      const { ecs } = current().stores;
      for (const name of ["b", "a", "c"]) await ecs.putCluster(cluster(name, 1));
      await ecs.putCluster(cluster("z", 1, "ACTIVE", otherRegion));
      expect((await ecs.listClusters(scope)).map((c) => c.cluster.clusterName)).toEqual(["a", "b", "c"]);
      expect((await ecs.listClusters(otherRegion)).map((c) => c.cluster.clusterName)).toEqual(["z"]);
      expect(await ecs.listClusters(otherAccount)).toEqual([]);
    });

    it("lets exactly one of two writers of the same version win", async () => {
      const { ecs } = current().stores;
      await ecs.putCluster(cluster("race", 1));
      const results = await Promise.all([
        ecs.putCluster(cluster("race", 2, "INACTIVE")),
        ecs.putCluster(cluster("race", 2, "ACTIVE")),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await ecs.getCluster(scope, "race"))?.version).toBe(2);
    });
  });

  describe("ecs task definitions", () => {
    it("takes revisions 1, 2, 3 in order and refuses a revision that is not the next one", async () => {
      const { ecs } = current().stores;
      expect(await ecs.lastRevision(scope, "web")).toBe(0);
      expect(await ecs.registerTaskDefinition(taskDefinitionRecord("web", 2))).toEqual({
        ok: false,
        reason: "RevisionConflict",
      });
      for (const r of [1, 2, 3])
        expect(await ecs.registerTaskDefinition(taskDefinitionRecord("web", r))).toEqual({ ok: true });
      expect(await ecs.registerTaskDefinition(taskDefinitionRecord("web", 3))).toEqual({
        ok: false,
        reason: "RevisionConflict",
      });
      expect(await ecs.lastRevision(scope, "web")).toBe(3);
      expect(await ecs.getTaskDefinition(scope, "web", 2)).toEqual(taskDefinitionRecord("web", 2));
      expect(await ecs.getTaskDefinition(scope, "web", 4)).toBeUndefined();
    });

    it("resolves a family to its latest ACTIVE revision, and never reuses a deregistered revision", async () => {
      const { ecs } = current().stores;
      for (const r of [1, 2]) await ecs.registerTaskDefinition(taskDefinitionRecord("web", r));
      expect((await ecs.getTaskDefinition(scope, "web"))?.taskDefinition.revision).toBe(2);
      const inactive = taskDefinitionRecord("web", 2, { status: "INACTIVE", deregisteredAt: T0 + 9 });
      expect(await ecs.updateTaskDefinition(inactive)).toBe(true);
      expect(await ecs.updateTaskDefinition(taskDefinitionRecord("web", 7))).toBe(false);
      expect((await ecs.getTaskDefinition(scope, "web"))?.taskDefinition.revision).toBe(1);
      expect(await ecs.getTaskDefinition(scope, "web", 2)).toEqual(inactive);
      expect(await ecs.lastRevision(scope, "web")).toBe(2);
      await ecs.updateTaskDefinition(taskDefinitionRecord("web", 1, { status: "INACTIVE" }));
      expect(await ecs.getTaskDefinition(scope, "web")).toBeUndefined();
    });

    it("lists revisions by family then revision, filtered by prefix and status; families likewise", async () => {
      const { ecs } = current().stores;
      await ecs.registerTaskDefinition(taskDefinitionRecord("worker", 1));
      for (const r of [1, 2]) await ecs.registerTaskDefinition(taskDefinitionRecord("web", r));
      await ecs.registerTaskDefinition(taskDefinitionRecord("webapp", 1, { status: "INACTIVE" }));
      await ecs.registerTaskDefinition(taskDefinitionRecord("web", 1, {}, otherRegion));
      const names = (rs: { taskDefinition: { family: string; revision: number } }[]) =>
        rs.map((r) => `${r.taskDefinition.family}:${r.taskDefinition.revision}`);
      expect(names(await ecs.listTaskDefinitions(scope, {}))).toEqual([
        "web:1",
        "web:2",
        "webapp:1",
        "worker:1",
      ]);
      expect(names(await ecs.listTaskDefinitions(scope, { familyPrefix: "web" }))).toEqual([
        "web:1",
        "web:2",
        "webapp:1",
      ]);
      expect(names(await ecs.listTaskDefinitions(scope, { status: "INACTIVE" }))).toEqual(["webapp:1"]);
      expect(await ecs.listTaskDefinitionFamilies(scope, {})).toEqual(["web", "webapp", "worker"]);
      expect(await ecs.listTaskDefinitionFamilies(scope, { status: "ACTIVE", familyPrefix: "we" })).toEqual([
        "web",
      ]);
      expect(await ecs.listTaskDefinitionFamilies(otherRegion, {})).toEqual(["web"]);
    });

    it("gives exactly one of two registrations of the same revision the revision", async () => {
      const { ecs } = current().stores;
      const results = await Promise.all([
        ecs.registerTaskDefinition(taskDefinitionRecord("race", 1, { cpu: "256" })),
        ecs.registerTaskDefinition(taskDefinitionRecord("race", 1, { cpu: "512" })),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await ecs.lastRevision(scope, "race")).toBe(1);
    });
  });

  describe("ecs services", () => {
    it("writes a service only from the version it read, deployments and events inside", async () => {
      const { ecs } = current().stores;
      expect(await ecs.putService(serviceRecord("default", "web", 1))).toEqual({ ok: true });
      expect(await ecs.putService(serviceRecord("default", "web", 1))).toEqual({
        ok: false,
        reason: "VersionConflict",
      });
      const updated = serviceRecord("default", "web", 2, {
        desiredCount: 3,
        events: [{ id: "e1", createdAt: T0, message: "service (web) has reached a steady state." }],
      });
      expect(await ecs.putService(updated)).toEqual({ ok: true });
      expect(await ecs.getService(scope, "default", "web")).toEqual(updated);
      expect(await ecs.getService(scope, "other", "web")).toBeUndefined();
    });

    it("lists a cluster's services by name and schedules only ACTIVE and DRAINING ones", async () => {
      const { ecs } = current().stores;
      await ecs.putService(serviceRecord("default", "b", 1));
      await ecs.putService(serviceRecord("default", "a", 1, { status: "DRAINING" }));
      await ecs.putService(serviceRecord("default", "c", 1, { status: "INACTIVE" }));
      await ecs.putService(serviceRecord("other", "d", 1));
      await ecs.putService(serviceRecord("default", "e", 1, {}, otherRegion));
      expect((await ecs.listServices(scope, "default")).map((s) => s.service.serviceName)).toEqual([
        "a",
        "b",
        "c",
      ]);
      expect((await ecs.servicesToSchedule()).map((s) => s.service.serviceName).sort()).toEqual([
        "a",
        "b",
        "d",
        "e",
      ]);
      expect(await ecs.removeService(scope, "default", "c")).toBe(true);
      expect(await ecs.removeService(scope, "default", "c")).toBe(false);
      expect((await ecs.listServices(scope, "default")).map((s) => s.service.serviceName)).toEqual([
        "a",
        "b",
      ]);
    });
  });

  describe("ecs tasks", () => {
    it("keeps tasks by version, lists them oldest first and the open ones of every scope", async () => {
      const { ecs } = current().stores;
      await ecs.putTask(taskRecord("default", "bbb", 1, { serviceName: "web", createdAt: T0 + 2 }));
      await ecs.putTask(taskRecord("default", "aaa", 1, { createdAt: T0 + 2 }));
      await ecs.putTask(taskRecord("default", "ccc", 1, { serviceName: "web", createdAt: T0 + 1 }));
      await ecs.putTask(taskRecord("default", "ddd", 1, { scope: otherRegion, createdAt: T0 }));
      expect(await ecs.putTask(taskRecord("default", "ccc", 1))).toEqual({
        ok: false,
        reason: "VersionConflict",
      });
      const stopped = taskRecord("default", "ccc", 2, {
        serviceName: "web",
        createdAt: T0 + 1,
        task: {
          lastStatus: "STOPPED",
          desiredStatus: "STOPPED",
          stoppedReason: "Scaling activity initiated by (deployment ecs-svc/1)",
        },
      });
      expect(await ecs.putTask(stopped)).toEqual({ ok: true });
      expect(await ecs.getTask(scope, "default", "ccc")).toEqual(stopped);
      expect((await ecs.listTasks(scope, "default")).map((t) => t.taskId)).toEqual(["ccc", "aaa", "bbb"]);
      expect((await ecs.listTasks(scope, "default", { serviceName: "web" })).map((t) => t.taskId)).toEqual([
        "ccc",
        "bbb",
      ]);
      expect((await ecs.openTasks()).map((t) => t.taskId)).toEqual(["ddd", "aaa", "bbb"]);
      expect(await ecs.removeTask(scope, "default", "ccc")).toBe(true);
      expect(await ecs.getTask(scope, "default", "ccc")).toBeUndefined();
      expect(await ecs.removeTask(scope, "default", "ccc")).toBe(false);
    });

    it("keeps clusters, revisions, services and tasks across a reopen", async ({ skip }) => {
      const { stores, reopen } = current();
      if (!reopen) skip("these stores keep nothing across a restart, so there is nothing to reopen");
      await stores.ecs.putCluster(cluster("default", 1));
      await stores.ecs.registerTaskDefinition(taskDefinitionRecord("web", 1));
      await stores.ecs.putService(serviceRecord("default", "web", 1));
      await stores.ecs.putTask(taskRecord("default", "aaa", 1, { serviceName: "web" }));
      const again = await reopen!();
      expect((await again.ecs.getCluster(scope, "default"))?.version).toBe(1);
      expect(await again.ecs.lastRevision(scope, "web")).toBe(1);
      expect(await again.ecs.registerTaskDefinition(taskDefinitionRecord("web", 2))).toEqual({ ok: true });
      expect((await again.ecs.servicesToSchedule()).map((s) => s.service.serviceName)).toEqual(["web"]);
      expect((await again.ecs.openTasks()).map((t) => t.taskId)).toEqual(["aaa"]);
    });
  });
}
