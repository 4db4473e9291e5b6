import { type Json, lambda, regions } from "./api.js";
import { age, bytes, h, isoSeconds, link, replace } from "./dom.js";
import { allPages, errorBox, facts, poll, redraw, table, type View } from "./ui.js";

/** Lambda functions of every region (ListFunctions). */
export const functionsView: View = (main) => {
  document.title = "Functions · Pipewright";
  const body = h("div", { id: "functions", class: "scroll" }, h("p", {}, "Loading…"));
  replace(main, h("h1", {}, "Functions"), body);
  const ticker = poll(5000, async () => {
    try {
      const rows: { region: string; fn: Json }[] = [];
      for (const region of await regions()) {
        const fns = await allPages(async (marker) => {
          const page = await lambda(marker ? `/?Marker=${encodeURIComponent(marker)}` : "/", region);
          return { items: page.Functions ?? [], next: page.NextMarker };
        });
        for (const fn of fns) rows.push({ region, fn });
      }
      redraw(body, JSON.stringify([rows, Math.floor(Date.now() / 10_000)]), () => [
        rows.length === 0
          ? h("p", {}, "No functions yet: create one with `aws lambda create-function`.")
          : table(
              "Functions",
              ["Function", "Region", "Runtime", "Handler", "Code size", "Last modified"],
              rows,
              ({ region, fn }) => [
                link(`/console/functions/${region}/${encodeURIComponent(fn.FunctionName)}`, fn.FunctionName),
                region,
                fn.Runtime ?? "",
                h("code", {}, fn.Handler ?? ""),
                bytes(fn.CodeSize),
                age(isoSeconds(fn.LastModified)),
              ],
              ({ region, fn }) => ({ "data-function": `${region}/${fn.FunctionName}` }),
            ),
      ]);
    } catch (error) {
      replace(body, errorBox(error));
    }
  });
  return ticker.stop;
};

/** One function's configuration (GetFunctionConfiguration); environment variable values are not shown. */
export function functionFacts(fn: Json): HTMLElement {
  const env = Object.keys(fn.Environment?.Variables ?? {});
  return facts([
    ["Runtime", fn.Runtime ?? ""],
    ["Handler", h("code", {}, fn.Handler ?? "")],
    ["Last modified", `${fn.LastModified ?? ""} (${age(isoSeconds(fn.LastModified))})`],
    ["Code", `${bytes(fn.CodeSize)}, SHA-256 ${fn.CodeSha256 ?? ""}`],
    ["Memory, timeout", `${fn.MemorySize ?? ""} MB, ${fn.Timeout ?? ""} s`],
    ["Description", fn.Description ?? ""],
    ["Role", fn.Role ?? ""],
    ["Environment variables", env.length ? env.join(", ") : "none"],
  ]);
}

export const functionView: View = (main, [region = "", encodedName = ""]) => {
  const name = decodeURIComponent(encodedName);
  document.title = `${name} · Functions · Pipewright`;
  const body = h("div", { id: "function" }, h("p", {}, "Loading…"));
  replace(
    main,
    h("p", {}, link("/console/functions", "Functions"), ` / ${region}`),
    h("h1", {}, name),
    body,
    h("h2", {}, "Invocations"),
    h(
      "p",
      {},
      "Pipewright keeps no log of a function's invocations (it has no CloudWatch Logs): `aws lambda invoke --log-type Tail` returns an invocation's log, and a pipeline's Invoke action shows its function's log on the action's details page.",
    ),
  );
  const ticker = poll(5000, async () => {
    try {
      const fn = await lambda(`/${encodeURIComponent(name)}/configuration`, region);
      redraw(body, JSON.stringify(fn), () => [functionFacts(fn)]);
    } catch (error) {
      replace(body, errorBox(error));
    }
  });
  return ticker.stop;
};
