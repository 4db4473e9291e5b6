import { call, type Json } from "./api.js";
import { duration, h, link, replace, statusBadge } from "./dom.js";
import { errorBox, poll, redraw, type View } from "./ui.js";

/**
 * A CodeBuild build: its phases with durations (BatchGetBuilds, every second while it runs) and
 * its log, streamed from GET /_pipewright/builds/<id>/log?follow=true (masked by the server).
 */
export const buildView: View = (main, [region = "", encodedId = ""]) => {
  const id = decodeURIComponent(encodedId);
  document.title = `Build ${id} · Pipewright`;
  const head = h("div", { id: "build" }, h("p", {}, "Loading…"));
  const log = h("pre", { class: "log", id: "log", tabindex: 0, "aria-label": "Build log" });
  const logState = h("p", { class: "muted", id: "log-state", role: "status" }, "Connecting to the log…");
  const reportsEl = h("div", { id: "reports" }, h("p", { class: "muted" }, "Shown when the build ends."));
  const drawReports = async (arns: string[]) => {
    try {
      const reports = await reportsOf(region, arns);
      replace(
        reportsEl,
        reports.length === 0
          ? h("p", {}, "This build published no test report.")
          : reports.map(({ report, cases }) =>
              h(
                "section",
                { "data-report": report.name ?? "" },
                h("h3", {}, report.name ?? report.arn, " ", statusBadge(buildStatus(report.status))),
                h("p", { class: "muted" }, summary(report.testSummary)),
                h(
                  "table",
                  {},
                  h(
                    "caption",
                    { class: "sr-only" },
                    `Test cases of ${report.name ?? "the report"}, failures first`,
                  ),
                  h(
                    "thead",
                    {},
                    h(
                      "tr",
                      {},
                      ["Test", "Status", "Duration", "Message"].map((t) => h("th", { scope: "col" }, t)),
                    ),
                  ),
                  h(
                    "tbody",
                    {},
                    cases.map((c) =>
                      h(
                        "tr",
                        { "data-case": c.name },
                        h("td", {}, c.prefix ? `${c.prefix} › ` : "", c.name),
                        h("td", {}, statusBadge(buildStatus(c.status))),
                        h(
                          "td",
                          {},
                          c.durationInNanoSeconds !== undefined
                            ? `${Math.round(c.durationInNanoSeconds / 1e6)} ms`
                            : "",
                        ),
                        h("td", {}, c.message ?? ""),
                      ),
                    ),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      replace(reportsEl, errorBox(error));
    }
  };
  replace(
    main,
    h("p", {}, link("/console/", "Pipelines")),
    h("h1", {}, "Build ", h("code", {}, id)),
    head,
    h("h2", {}, "Test reports"),
    reportsEl,
    h("h2", {}, "Log"),
    logState,
    log,
  );

  const abort = new AbortController();
  void (async () => {
    try {
      const response = await fetch(`/_pipewright/builds/${encodeURIComponent(id)}/log?follow=true`, {
        signal: abort.signal,
      });
      if (!response.ok || !response.body) {
        replace(logState, `The log is not available: HTTP ${response.status} ${await response.text()}`);
        return;
      }
      replace(logState, "Streaming…");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
        log.append(value);
        if (atEnd) log.scrollTop = log.scrollHeight;
      }
      replace(logState, "The log is complete.");
    } catch (error) {
      if (!abort.signal.aborted) replace(logState, errorBox(error));
    }
  })();

  let finished = false;
  const ticker = poll(1000, async () => {
    if (finished) return;
    try {
      const out = await call("codebuild", "BatchGetBuilds", region, { ids: [id] });
      const b: Json = out.builds?.[0];
      if (!b) {
        replace(head, errorBox(new Error(`Build ${id} not found in ${region}`)));
        return;
      }
      finished = b.buildComplete === true;
      if (finished) void drawReports(b.reportArns ?? []);
      redraw(head, JSON.stringify([b, finished ? 0 : Math.floor(Date.now() / 1000)]), () => [
        h(
          "p",
          {},
          statusBadge(b.buildStatus === "IN_PROGRESS" ? "InProgress" : buildStatus(b.buildStatus)),
          ` ${b.projectName ?? ""} · phase ${b.currentPhase ?? ""} · ${duration(b.startTime, b.endTime)}`,
        ),
        h(
          "table",
          {},
          h("caption", { class: "sr-only" }, "Build phases"),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ["Phase", "Status", "Duration"].map((t) => h("th", { scope: "col" }, t)),
            ),
          ),
          h(
            "tbody",
            {},
            (b.phases ?? []).map((p: Json) =>
              h(
                "tr",
                { "data-phase": p.phaseType },
                h("td", {}, p.phaseType),
                h("td", {}, p.phaseStatus ? statusBadge(buildStatus(p.phaseStatus)) : "…"),
                h(
                  "td",
                  {},
                  p.durationInSeconds !== undefined
                    ? `${p.durationInSeconds} s`
                    : duration(p.startTime, p.endTime),
                ),
              ),
            ),
          ),
        ),
      ]);
    } catch (error) {
      replace(head, errorBox(error));
    }
  });
  return () => {
    abort.abort();
    ticker.stop();
  };
};

/** The build's test reports, each with its failed cases first (BatchGetReports, DescribeTestCases). */
async function reportsOf(region: string, arns: string[]): Promise<{ report: Json; cases: Json[] }[]> {
  if (arns.length === 0) return [];
  const { reports = [] } = await call("codebuild", "BatchGetReports", region, { reportArns: arns });
  return Promise.all(
    reports.map(async (report: Json) => {
      const cases: Json[] = [];
      let nextToken: string | undefined;
      do {
        const page = await call("codebuild", "DescribeTestCases", region, {
          reportArn: report.arn,
          maxResults: 100,
          ...(nextToken ? { nextToken } : {}),
        });
        cases.push(...(page.testCases ?? []));
        nextToken = page.nextToken;
      } while (nextToken && cases.length < 1000);
      const rank = (c: Json) =>
        c.status === "SUCCEEDED" ? 2 : c.status === "FAILED" || c.status === "ERROR" ? 0 : 1;
      cases.sort((a, b) => rank(a) - rank(b));
      return { report, cases };
    }),
  );
}

function summary(testSummary: Json): string {
  if (!testSummary) return "";
  const counts = Object.entries(testSummary.statusCounts ?? {})
    .filter(([, n]) => Number(n) > 0)
    .map(([k, n]) => `${n} ${String(k).toLowerCase()}`);
  return `${testSummary.total ?? 0} tests: ${counts.join(", ")}`;
}

/** SUCCEEDED → Succeeded, so build statuses share the pipeline badges' colours. */
export function buildStatus(status: string | undefined): string {
  if (!status) return "None";
  const map: Record<string, string> = {
    SUCCEEDED: "Succeeded",
    FAILED: "Failed",
    FAULT: "Failed",
    TIMED_OUT: "Failed",
    STOPPED: "Stopped",
    IN_PROGRESS: "InProgress",
    ERROR: "Failed",
    SKIPPED: "Stopped",
    INCOMPLETE: "Failed",
    GENERATING: "InProgress",
  };
  return map[status] ?? status;
}
