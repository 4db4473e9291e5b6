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
  replace(
    main,
    h("p", {}, link("/console/", "Pipelines")),
    h("h1", {}, "Build ", h("code", {}, id)),
    head,
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
  };
  return map[status] ?? status;
}
