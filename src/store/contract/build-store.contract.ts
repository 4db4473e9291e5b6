import { describe, expect, it } from "vitest";
import { buildRecord, logLines, projectRecord, reportRecord } from "./build-builders.contract.js";
import { describeBuildRecordsContract } from "./build-store-records.contract.js";
import { type CurrentStores, otherAccount, otherRegion, scope, T0 } from "./builders.contract.js";

/**
 * BuildStore's behaviour (build-store-types.ts states it in words): projects and their build
 * counters here; builds, logs, reports, isolation of records and durability in
 * build-store-records.contract.ts.
 */
export function describeBuildStoreContract(current: CurrentStores): void {
  describe("builds", () => {
    describeProjectsContract(current);
    describeBuildNumbersContract(current);
    describeBuildRecordsContract(current);
  });
}

function describeProjectsContract(current: CurrentStores): void {
  describe("projects", () => {
    it("creates a project once per scope and gets it back", async () => {
      const { builds } = current().stores;
      const project = projectRecord("app");
      expect(await builds.createProject(project)).toEqual({ ok: true });
      expect(await builds.createProject(projectRecord("app", { description: "again" }))).toEqual({
        ok: false,
        reason: "NameInUse",
      });
      expect(await builds.getProject(scope, "app")).toEqual(project);
      expect(await builds.getProject(otherRegion, "app")).toBeUndefined();
      expect(await builds.getProject(scope, "App")).toBeUndefined();

      const west = projectRecord("app", { scope: otherRegion, description: "west" });
      expect(await builds.createProject(west)).toEqual({ ok: true });
      expect(await builds.getProject(otherRegion, "app")).toEqual(west);
      expect(await builds.getProject(scope, "app")).toEqual(project);
    });

    it("replaces a project's whole record, and refuses one that does not exist", async () => {
      const { builds } = current().stores;
      expect(await builds.replaceProject(projectRecord("app"))).toEqual({ ok: false, reason: "NotFound" });
      expect(await builds.getProject(scope, "app")).toBeUndefined();

      await builds.createProject(projectRecord("app", { created: T0 }));
      const replaced = projectRecord("app", {
        description: "second",
        created: T0,
        lastModified: T0 + 60_000,
      });
      expect(await builds.replaceProject(replaced)).toEqual({ ok: true });
      expect(await builds.getProject(scope, "app")).toEqual(replaced);
      expect(await builds.replaceProject(projectRecord("app", { scope: otherAccount }))).toEqual({
        ok: false,
        reason: "NotFound",
      });
      expect(await builds.getProject(otherAccount, "app")).toBeUndefined();
    });

    it("lists a scope's projects in code point order", async () => {
      const { builds } = current().stores;
      // U+1F680 is stored as surrogates (0xD83D…), which JavaScript's `<` puts before U+FF21.
      const names = ["web", "\u{1F680}launch", "api", "\uFF21pp", "Worker", "api-2"];
      for (const name of names) await builds.createProject(projectRecord(name));
      await builds.createProject(projectRecord("elsewhere", { scope: otherRegion }));
      const listed = await builds.listProjects(scope);
      expect(listed.map((p) => p.name)).toEqual([
        "Worker",
        "api",
        "api-2",
        "web",
        "\uFF21pp",
        "\u{1F680}launch",
      ]);
      expect(listed[1]).toEqual(projectRecord("api"));
      expect((await builds.listProjects(otherRegion)).map((p) => p.name)).toEqual(["elsewhere"]);
      expect(await builds.listProjects(otherAccount)).toEqual([]);
    });

    it("deletes a project and its build counter, keeping its builds, logs and reports", async () => {
      const { builds } = current().stores;
      await builds.createProject(projectRecord("app"));
      await builds.createProject(projectRecord("app", { scope: otherRegion }));
      expect([
        await builds.nextBuildNumber(scope, "app"),
        await builds.nextBuildNumber(scope, "app"),
      ]).toEqual([1, 2]);
      expect(await builds.nextBuildNumber(otherRegion, "app")).toBe(1);
      const build = buildRecord("app", 1, { complete: true });
      await builds.putBuild(build);
      await builds.appendLog(scope, build.document.id, logLines(1, 2));
      const report = reportRecord("run-1");
      await builds.putReport(report);

      expect(await builds.deleteProject(scope, "app")).toBe(true);
      expect(await builds.deleteProject(scope, "app")).toBe(false);
      expect(await builds.deleteProject(scope, "never-created")).toBe(false);
      expect(await builds.getProject(scope, "app")).toBeUndefined();
      expect(await builds.listProjects(scope)).toEqual([]);

      expect(await builds.getBuild(scope, build.document.id)).toEqual(build);
      expect(
        (await builds.listBuildIds(scope, { projectName: "app", order: "ASCENDING", limit: 10 })).items,
      ).toEqual([build.document.id]);
      expect(await builds.readLog(scope, build.document.id, 0, 10)).toEqual(logLines(1, 2));
      expect(await builds.getReport(scope, report.document.arn)).toEqual(report);
      // The other region's project and counter are untouched; this scope's count starts again.
      expect(await builds.getProject(otherRegion, "app")).toBeDefined();
      expect(await builds.nextBuildNumber(otherRegion, "app")).toBe(2);
      expect(await builds.nextBuildNumber(scope, "app")).toBe(1);
      // A project created again under the same name is a new project.
      expect(await builds.createProject(projectRecord("app", { description: "reborn" }))).toEqual({
        ok: true,
      });
      expect((await builds.getProject(scope, "app"))?.document.description).toBe("reborn");
    });
  });
}

function describeBuildNumbersContract(current: CurrentStores): void {
  describe("build numbers", () => {
    it("numbers a project's builds 1, 2, 3, …, independently per project and per scope", async () => {
      const { builds } = current().stores;
      const take = (where: typeof scope, project: string) => builds.nextBuildNumber(where, project);
      expect([await take(scope, "app"), await take(scope, "app"), await take(scope, "app")]).toEqual([
        1, 2, 3,
      ]);
      expect(await take(scope, "web")).toBe(1);
      expect(await take(otherRegion, "app")).toBe(1);
      expect(await take(otherAccount, "app")).toBe(1);
      expect(await take(scope, "App")).toBe(1);
      expect(await take(scope, "app")).toBe(4);
      expect(await take(scope, "web")).toBe(2);
    });

    it("gives concurrent callers distinct numbers with no gap", async () => {
      const { builds } = current().stores;
      await builds.nextBuildNumber(scope, "app");
      const numbers = await Promise.all(
        Array.from({ length: 20 }, () => builds.nextBuildNumber(scope, "app")),
      );
      expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      expect(await builds.nextBuildNumber(scope, "app")).toBe(22);
    });
  });
}
