import type { PipelineStore, RunStore, Scope } from "../../store/types.js";
import { renderExecutionSummary } from "../codepipeline/render-execution.js";

export interface OverviewDeps {
  readonly pipelines: Pick<PipelineStore, "list">;
  readonly runs: Pick<RunStore, "latestExecutions">;
}

/** One overview row: a pipeline with its newest execution as ListPipelineExecutions renders it. */
export interface OverviewRow {
  readonly region: string;
  readonly name: string;
  readonly version: number;
  readonly latest?: ReturnType<typeof renderExecutionSummary>;
}

/** Pipelines read per store page while walking a region's list. */
const PAGE = 1000;

/**
 * `GET /_pipewright/console/overview`: every pipeline of every region with its newest execution,
 * in one answer. Per region: the pipeline list in pages of 1,000 and one `latestExecutions`
 * read, so the cost does not grow with a request per pipeline (the page used to make one
 * ListPipelineExecutions call per pipeline).
 */
export async function readOverview(
  deps: OverviewDeps,
  accountId: string,
  regions: readonly string[],
): Promise<{ regions: string[]; pipelines: OverviewRow[] }> {
  const perRegion = await Promise.all(
    regions.map(async (region) => {
      const scope: Scope = { accountId, region };
      const [names, latest] = await Promise.all([
        allPipelines(deps, scope),
        deps.runs.latestExecutions(scope),
      ]);
      const newest = new Map(latest.map((r) => [r.pipelineName, r]));
      return names.map((p): OverviewRow => {
        const record = newest.get(p.name);
        return {
          region,
          name: p.name,
          version: p.version,
          ...(record ? { latest: renderExecutionSummary(record.state) } : {}),
        };
      });
    }),
  );
  return { regions: [...regions], pipelines: perRegion.flat() };
}

async function allPipelines(deps: OverviewDeps, scope: Scope) {
  const found: { name: string; version: number }[] = [];
  let after: string | undefined;
  do {
    const page = await deps.pipelines.list(
      scope,
      after === undefined ? { limit: PAGE } : { after, limit: PAGE },
    );
    for (const p of page.items) found.push({ name: p.name, version: p.version });
    after = page.nextAfter;
  } while (after !== undefined);
  return found;
}
