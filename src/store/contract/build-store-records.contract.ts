import { describe, expect, it } from "vitest";
import type { PhaseRecord } from "../../codebuild/documents.js";
import type { BuildListQuery, BuildStore } from "../build-store-types.js";
import type { Scope } from "../types.js";
import { buildId, buildRecord, logLines, projectRecord, reportRecord } from "./build-builders.contract.js";
import {
  type CurrentStores,
  otherAccount,
  otherRegion,
  scope,
  T0,
  tryToMutate,
} from "./builders.contract.js";

/** Every id `listBuildIds` yields for `query`, page by page, with each page's `nextAfter`. */
async function pagesOf(
  builds: BuildStore,
  where: Scope,
  query: Omit<BuildListQuery, "after">,
): Promise<{ items: string[]; nextAfter?: string }[]> {
  const pages: { items: string[]; nextAfter?: string }[] = [];
  let after: string | undefined;
  do {
    const page = await builds.listBuildIds(where, { ...query, ...(after === undefined ? {} : { after }) });
    pages.push(page);
    after = page.nextAfter;
    if (pages.length > 20) throw new Error("listBuildIds: more pages than builds");
  } while (after !== undefined);
  return pages;
}

const byScopeAndId = (a: { scope: Scope; document: { id: string } }, b: typeof a) => {
  const key = (r: typeof a) => `${r.scope.accountId}/${r.scope.region}/${r.document.id}`;
  return key(a) < key(b) ? -1 : 1;
};

export function describeBuildRecordsContract(current: CurrentStores): void {
  describe("build records", () => {
    it("puts a build, gets it by scope and id, and replaces it on a second put", async () => {
      const { builds } = current().stores;
      const running = buildRecord("app", 1);
      await builds.putBuild(running);
      expect(await builds.getBuild(scope, running.document.id)).toEqual(running);
      expect(await builds.getBuild(otherRegion, running.document.id)).toBeUndefined();
      expect(await builds.getBuild(scope, buildId("app", 2))).toBeUndefined();

      const done = buildRecord("app", 1, { complete: true });
      await builds.putBuild(done);
      expect(await builds.getBuild(scope, running.document.id)).toEqual(done);
      expect((await builds.listBuildIds(scope, { order: "ASCENDING", limit: 10 })).items).toEqual([
        running.document.id,
      ]);
    });

    it("keeps the same id in two scopes as two builds", async () => {
      const { builds } = current().stores;
      const east = buildRecord("app", 1, { startTime: T0 });
      const otherOwner = buildRecord("app", 1, { scope: otherAccount, startTime: T0 + 5, complete: true });
      await builds.putBuild(east);
      await builds.putBuild(otherOwner);
      expect(await builds.getBuild(scope, east.document.id)).toEqual(east);
      expect(await builds.getBuild(otherAccount, east.document.id)).toEqual(otherOwner);
      for (const where of [scope, otherAccount]) {
        expect((await builds.listBuildIds(where, { order: "DESCENDING", limit: 10 })).items).toEqual([
          east.document.id,
        ]);
      }
      expect(await builds.listBuildIds(otherRegion, { order: "DESCENDING", limit: 10 })).toEqual({
        items: [],
      });
      expect(await builds.unfinishedBuilds()).toEqual([east]);
    });

    describe("listing build ids", () => {
      const app = (n: number) => buildId("app", n);
      const web = (n: number) => buildId("web", n);
      // Start times: app 2 < app 3 = web 1 = web 2 < app 1; web 4 started before them all, and its
      // start time has fewer digits (compared as text without padding, it would sort last).
      const seed = async (builds: BuildStore) => {
        await builds.putBuild(buildRecord("web", 2, { startTime: T0 + 20 }));
        await builds.putBuild(buildRecord("app", 1, { startTime: T0 + 30 }));
        await builds.putBuild(buildRecord("web", 4, { startTime: 999_999_999_999 }));
        await builds.putBuild(buildRecord("app", 3, { startTime: T0 + 20 }));
        await builds.putBuild(buildRecord("app", 2, { startTime: T0 + 10 }));
        await builds.putBuild(buildRecord("web", 1, { startTime: T0 + 20 }));
        await builds.putBuild(buildRecord("web", 3, { scope: otherRegion, startTime: T0 + 15 }));
      };
      // Ties on start time are broken by id: "app:…3" < "web:…1" < "web:…2".
      const ascending = [web(4), app(2), app(3), web(1), web(2), app(1)];

      it("lists by start time then id, ascending and descending, a page at a time", async () => {
        const { builds } = current().stores;
        await seed(builds);
        const up = await pagesOf(builds, scope, { order: "ASCENDING", limit: 4 });
        expect(up.map((p) => p.items)).toEqual([ascending.slice(0, 4), ascending.slice(4)]);
        expect(up[0]!.nextAfter).toEqual(expect.any(String));
        expect(up[1]!.nextAfter).toBeUndefined();
        const down = await pagesOf(builds, scope, { order: "DESCENDING", limit: 2 });
        expect(down.map((p) => p.items)).toEqual([
          [app(1), web(2)],
          [web(1), app(3)],
          [app(2), web(4)],
        ]);
        expect(down.map((p) => p.nextAfter === undefined)).toEqual([false, false, true]);
        expect(await pagesOf(builds, otherRegion, { order: "ASCENDING", limit: 1 })).toEqual([
          { items: [buildId("web", 3)] },
        ]);
      });

      it("says no page follows when the last page is exactly full", async () => {
        const { builds } = current().stores;
        await seed(builds);
        expect(await builds.listBuildIds(scope, { order: "ASCENDING", limit: ascending.length })).toEqual({
          items: ascending,
        });
        const first = await builds.listBuildIds(scope, { order: "DESCENDING", limit: 3 });
        const second = await builds.listBuildIds(scope, {
          order: "DESCENDING",
          after: first.nextAfter!,
          limit: 3,
        });
        expect(second).toEqual({ items: [app(3), app(2), web(4)] });
      });

      it("lists one project's builds when asked, in either order", async () => {
        const { builds } = current().stores;
        await seed(builds);
        const onlyApp = { projectName: "app", limit: 2 } as const;
        expect(
          (await pagesOf(builds, scope, { ...onlyApp, order: "ASCENDING" })).map((p) => p.items),
        ).toEqual([[app(2), app(3)], [app(1)]]);
        expect(
          (await pagesOf(builds, scope, { ...onlyApp, order: "DESCENDING" })).map((p) => p.items),
        ).toEqual([[app(1), app(3)], [app(2)]]);
        expect(
          (await builds.listBuildIds(scope, { projectName: "web", order: "DESCENDING", limit: 10 })).items,
        ).toEqual([web(2), web(1), web(4)]);
        expect(
          await builds.listBuildIds(scope, { projectName: "none", order: "ASCENDING", limit: 10 }),
        ).toEqual({
          items: [],
        });
        expect(
          (await builds.listBuildIds(otherRegion, { projectName: "app", order: "ASCENDING", limit: 10 }))
            .items,
        ).toEqual([]);
      });

      it("moves a build in the list when a put changes its start time", async () => {
        const { builds } = current().stores;
        await seed(builds);
        await builds.putBuild(buildRecord("app", 1, { startTime: 1 }));
        expect((await builds.listBuildIds(scope, { order: "ASCENDING", limit: 2 })).items).toEqual([
          app(1),
          web(4),
        ]);
        expect(
          (await builds.listBuildIds(scope, { projectName: "app", order: "DESCENDING", limit: 10 })).items,
        ).toEqual([app(3), app(2), app(1)]);
      });

      it("refuses a limit that is not a positive integer", async () => {
        const { builds } = current().stores;
        for (const limit of [0, -1, 1.5]) {
          await expect(builds.listBuildIds(scope, { order: "ASCENDING", limit })).rejects.toThrow(/limit/);
        }
      });
    });

    it("finds the unfinished builds of every scope", async () => {
      const { builds } = current().stores;
      const running = buildRecord("app", 1);
      const elsewhere = buildRecord("app", 1, { scope: otherAccount });
      const westRunning = buildRecord("web", 7, { scope: otherRegion });
      await builds.putBuild(running);
      await builds.putBuild(elsewhere);
      await builds.putBuild(westRunning);
      await builds.putBuild(buildRecord("app", 2, { complete: true }));
      expect((await builds.unfinishedBuilds()).sort(byScopeAndId)).toEqual(
        [running, elsewhere, westRunning].sort(byScopeAndId),
      );

      await builds.putBuild(buildRecord("app", 1, { complete: true }));
      expect((await builds.unfinishedBuilds()).sort(byScopeAndId)).toEqual(
        [elsewhere, westRunning].sort(byScopeAndId),
      );
    });

    describe("logs", () => {
      it("appends lines and reads those after a seq, ascending, at most `limit`", async () => {
        const { builds } = current().stores;
        const id = buildId("app", 1);
        expect(await builds.readLog(scope, id, 0, 10)).toEqual([]);
        await builds.appendLog(scope, id, logLines(1, 3));
        await builds.appendLog(scope, id, logLines(4, 2));
        await builds.appendLog(scope, id, []);
        expect(await builds.readLog(scope, id, 0, 100)).toEqual(logLines(1, 5));
        expect(await builds.readLog(scope, id, 2, 2)).toEqual(logLines(3, 2));
        expect(await builds.readLog(scope, id, 4, 10)).toEqual(logLines(5, 1));
        expect(await builds.readLog(scope, id, 5, 10)).toEqual([]);
        expect(await builds.readLog(scope, id, 50, 10)).toEqual([]);
      });

      it("refuses an append whose seqs do not follow on, writing none of its lines", async () => {
        const { builds } = current().stores;
        const id = buildId("app", 1);
        await expect(builds.appendLog(scope, id, logLines(2, 1))).rejects.toThrow(/seq/);
        await builds.appendLog(scope, id, logLines(1, 2));
        const refused = [
          logLines(4, 1), // a gap
          logLines(2, 1), // a seq already written
          [...logLines(3, 1), ...logLines(5, 1)], // a gap inside the batch, after a good line
          [...logLines(3, 1), ...logLines(3, 1)], // a repeat inside the batch
          logLines(1, 3), // starts over
        ];
        for (const lines of refused) await expect(builds.appendLog(scope, id, lines)).rejects.toThrow(/seq/);
        expect(await builds.readLog(scope, id, 0, 10)).toEqual(logLines(1, 2));
        await builds.appendLog(scope, id, logLines(3, 2));
        expect(await builds.readLog(scope, id, 0, 10)).toEqual(logLines(1, 4));
      });

      it("keeps the logs of two builds, and of one build id in two scopes, apart", async () => {
        const { builds } = current().stores;
        const [first, second] = [buildId("app", 1), buildId("app", 2)];
        await builds.appendLog(scope, first, logLines(1, 3, "first"));
        await builds.appendLog(scope, second, logLines(1, 1, "second"));
        await builds.appendLog(otherRegion, first, logLines(1, 2, "west"));
        await builds.appendLog(scope, second, logLines(2, 1, "second"));
        expect(await builds.readLog(scope, first, 0, 10)).toEqual(logLines(1, 3, "first"));
        expect(await builds.readLog(scope, second, 0, 10)).toEqual(logLines(1, 2, "second"));
        expect(await builds.readLog(otherRegion, first, 0, 10)).toEqual(logLines(1, 2, "west"));
        expect(await builds.readLog(otherAccount, first, 0, 10)).toEqual([]);
      });

      it("refuses a read limit that is not a positive integer and a negative position", async () => {
        const { builds } = current().stores;
        await builds.appendLog(scope, buildId("app", 1), logLines(1, 1));
        await expect(builds.readLog(scope, buildId("app", 1), 0, 0)).rejects.toThrow(/limit/);
        await expect(builds.readLog(scope, buildId("app", 1), -1, 10)).rejects.toThrow(/afterSeq/);
      });
    });

    it("puts, replaces and gets reports by scope and ARN", async () => {
      const { builds } = current().stores;
      const generating = reportRecord("run-1", { status: "GENERATING" });
      await builds.putReport(generating);
      expect(await builds.getReport(scope, generating.document.arn)).toEqual(generating);
      const done = reportRecord("run-1", { status: "FAILED" });
      await builds.putReport(done);
      expect(await builds.getReport(scope, done.document.arn)).toEqual(done);
      expect(await builds.getReport(otherRegion, done.document.arn)).toBeUndefined();
      expect(await builds.getReport(scope, `${done.document.arn}x`)).toBeUndefined();
      const foreign = { ...reportRecord("run-1", { status: "INCOMPLETE" }), scope: otherAccount };
      await builds.putReport(foreign);
      expect(await builds.getReport(otherAccount, done.document.arn)).toEqual(foreign);
      expect(await builds.getReport(scope, done.document.arn)).toEqual(done);
    });

    it("keeps no reference to what callers pass in, and returned records are not the stored ones", async () => {
      const { builds } = current().stores;
      const where = { ...scope };
      const project = projectRecord("app", { scope: where });
      const build = buildRecord("app", 1, { scope: where });
      const report = reportRecord("run-1", { scope: where });
      const lines = logLines(1, 2);
      await builds.createProject(project);
      await builds.putBuild(build);
      await builds.putReport(report);
      await builds.appendLog(where, build.document.id, lines);

      Object.assign(project, { created: 0 });
      Object.assign(project.document, { description: "edited" });
      Object.assign(project.document.environment, { image: "edited" });
      Object.assign(build.document, { buildComplete: true });
      (build.document.phases as PhaseRecord[]).push({ phaseType: "COMPLETED", startTime: 0, contexts: [] });
      (report.document.cases as unknown[]).length = 0;
      lines[0]!.text = "edited";
      Object.assign(where, { region: "eu-west-1" });

      expect(await builds.getProject(scope, "app")).toEqual(projectRecord("app"));
      expect(await builds.getBuild(scope, build.document.id)).toEqual(buildRecord("app", 1));
      expect(await builds.unfinishedBuilds()).toEqual([buildRecord("app", 1)]);
      expect(await builds.getReport(scope, report.document.arn)).toEqual(reportRecord("run-1"));
      expect(await builds.readLog(scope, build.document.id, 0, 10)).toEqual(logLines(1, 2));

      const got = await builds.getBuild(scope, build.document.id);
      tryToMutate(() => Object.assign(got!.document, { buildStatus: "FAILED" }));
      const listed = await builds.listProjects(scope);
      tryToMutate(() => Object.assign(listed[0]!.document, { description: "edited" }));
      const read = await builds.readLog(scope, build.document.id, 0, 10);
      tryToMutate(() => Object.assign(read[0]!, { text: "edited" }));
      expect(await builds.getBuild(scope, build.document.id)).toEqual(buildRecord("app", 1));
      expect(await builds.getProject(scope, "app")).toEqual(projectRecord("app"));
      expect(await builds.readLog(scope, build.document.id, 0, 10)).toEqual(logLines(1, 2));
    });

    it("still has every project, counter, build, log line and report after reopening", async ({ skip }) => {
      const { stores, reopen } = current();
      if (!reopen) skip("these stores keep nothing across a restart, so there is nothing to reopen");
      const { builds } = stores;
      await builds.createProject(projectRecord("app"));
      await builds.createProject(projectRecord("gone"));
      await builds.deleteProject(scope, "gone");
      await builds.nextBuildNumber(scope, "app");
      await builds.nextBuildNumber(scope, "app");
      const running = buildRecord("app", 2, { startTime: T0 + 2 });
      const done = buildRecord("app", 1, { startTime: T0 + 1, complete: true });
      await builds.putBuild(running);
      await builds.putBuild(done);
      await builds.appendLog(scope, running.document.id, logLines(1, 3));
      await builds.putReport(reportRecord("run-1"));

      const again = (await reopen!()).builds;

      expect(await again.listProjects(scope)).toEqual([projectRecord("app")]);
      expect(await again.nextBuildNumber(scope, "app")).toBe(3);
      expect(await again.getBuild(scope, done.document.id)).toEqual(done);
      expect(await again.unfinishedBuilds()).toEqual([running]);
      expect((await again.listBuildIds(scope, { order: "DESCENDING", limit: 10 })).items).toEqual([
        running.document.id,
        done.document.id,
      ]);
      expect(await again.readLog(scope, running.document.id, 0, 10)).toEqual(logLines(1, 3));
      await expect(again.appendLog(scope, running.document.id, logLines(5, 1))).rejects.toThrow(/seq/);
      await again.appendLog(scope, running.document.id, logLines(4, 1));
      expect(await again.readLog(scope, running.document.id, 3, 10)).toEqual(logLines(4, 1));
      expect(await again.getReport(scope, reportRecord("run-1").document.arn)).toEqual(reportRecord("run-1"));
    });
  });
}
