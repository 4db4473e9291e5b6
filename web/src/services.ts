import { call, type Json, regions } from "./api.js";
import { age, h, link, replace, statusBadge } from "./dom.js";
import { allPages, errorBox, facts, poll, redraw, table, type View } from "./ui.js";

const nameOf = (arn: string | undefined) => (arn ?? "").replace(/^.*\//u, "");
const ecsStatus = (s: string | undefined) => (s ? s[0] + s.slice(1).toLowerCase() : undefined);

/** ECS clusters and their services in every region (ListClusters, DescribeClusters, ListServices, DescribeServices). */
export const servicesView: View = (main) => {
  document.title = "Services · Pipewright";
  const body = h("div", { id: "services", class: "scroll" }, h("p", {}, "Loading…"));
  replace(main, h("h1", {}, "Clusters and services"), body);
  const ticker = poll(3000, async () => {
    try {
      const clusters: { region: string; cluster: Json; services: Json[] }[] = [];
      for (const region of await regions()) {
        const arns: string[] = await allPages(async (nextToken) => {
          const page = await call("ecs", "ListClusters", region, nextToken ? { nextToken } : {});
          return { items: page.clusterArns ?? [], next: page.nextToken };
        });
        for (let i = 0; i < arns.length; i += 100) {
          const got = await call("ecs", "DescribeClusters", region, { clusters: arns.slice(i, i + 100) });
          for (const cluster of got.clusters ?? [])
            clusters.push({ region, cluster, services: await describeServices(region, cluster.clusterArn) });
        }
      }
      redraw(body, JSON.stringify([clusters, Math.floor(Date.now() / 10_000)]), () =>
        clusters.length === 0
          ? [h("p", {}, "No clusters yet: create one with `aws ecs create-cluster`.")]
          : clusters.map(({ region, cluster, services }) => [
              h(
                "h2",
                {},
                `${cluster.clusterName} `,
                h("span", { class: "muted" }, `${region} · ${cluster.runningTasksCount ?? 0} running tasks`),
              ),
              services.length === 0
                ? h("p", {}, "No services in this cluster.")
                : table(
                    `Services of cluster ${cluster.clusterName}`,
                    [
                      "Service",
                      "Status",
                      "Tasks (running / desired)",
                      "Rollout",
                      "Endpoint",
                      "Task definition",
                    ],
                    services,
                    (s) => {
                      const primary = (s.deployments ?? []).find((d: Json) => d.status === "PRIMARY");
                      return [
                        link(
                          `/console/services/${region}/${encodeURIComponent(cluster.clusterName)}/${encodeURIComponent(s.serviceName)}`,
                          s.serviceName,
                        ),
                        statusBadge(ecsStatus(s.status)),
                        `${s.runningCount ?? 0} / ${s.desiredCount ?? 0}${s.pendingCount ? ` (${s.pendingCount} pending)` : ""}`,
                        primary ? statusBadge(rollout(primary.rolloutState)) : "",
                        endpoints(s),
                        nameOf(s.taskDefinition),
                      ];
                    },
                    (s) => ({ "data-service": `${region}/${cluster.clusterName}/${s.serviceName}` }),
                  ),
            ]),
      );
    } catch (error) {
      replace(body, errorBox(error));
    }
  });
  return ticker.stop;
};

async function describeServices(region: string, cluster: string): Promise<Json[]> {
  const arns: string[] = await allPages(async (nextToken) => {
    const page = await call("ecs", "ListServices", region, { cluster, ...(nextToken ? { nextToken } : {}) });
    return { items: page.serviceArns ?? [], next: page.nextToken };
  });
  const services: Json[] = [];
  for (let i = 0; i < arns.length; i += 10) {
    const got = await call("ecs", "DescribeServices", region, { cluster, services: arns.slice(i, i + 10) });
    services.push(...(got.services ?? []));
  }
  return services;
}

/** COMPLETED / IN_PROGRESS / FAILED as the console's status words (so they get their colours). */
function rollout(state: string | undefined): string | undefined {
  if (state === "COMPLETED") return "Succeeded";
  if (state === "IN_PROGRESS") return "InProgress";
  if (state === "FAILED") return "Failed";
  return state;
}

/** The built-in load balancer's URL of each target group (pipewrightEndpoint), as links. */
function endpoints(s: Json) {
  const urls: string[] = (s.loadBalancers ?? []).map((lb: Json) => lb.pipewrightEndpoint).filter(Boolean);
  return urls.length
    ? urls.map((u) => h("div", {}, h("a", { href: u }, u)))
    : h("span", { class: "muted" }, "none");
}

/**
 * One ECS service's state, redrawn on each `refresh()`: counts, load balancer endpoints, its
 * deployments (rolloutState and counts), its tasks (last status, health, containers) and recent
 * events. The service page shows it; so does a deploy action's details page.
 */
export function servicePanel(region: string, cluster: string, service: string) {
  const about = h("div", { id: "service" }, h("p", {}, "Loading…"));
  const deployments = h("div", { id: "deployments", class: "scroll" });
  const tasks = h("div", { id: "tasks", class: "scroll" });
  const events = h("div", { id: "events", class: "scroll" });
  const el = h(
    "section",
    { "aria-label": `Service ${service}` },
    about,
    h("h2", {}, "Deployments"),
    deployments,
    h("h2", {}, "Tasks"),
    tasks,
    h("h2", {}, "Recent events"),
    events,
  );
  async function refresh(): Promise<void> {
    try {
      const got = await call("ecs", "DescribeServices", region, { cluster, services: [service] });
      const s = got.services?.[0];
      if (!s) {
        replace(about, errorBox(new Error(`No service ${service} in cluster ${cluster} (${region})`)));
        return;
      }
      const running: string[] =
        (await call("ecs", "ListTasks", region, { cluster, serviceName: service })).taskArns ?? [];
      const stopped: string[] =
        (await call("ecs", "ListTasks", region, { cluster, serviceName: service, desiredStatus: "STOPPED" }))
          .taskArns ?? [];
      const arns = [...running, ...stopped.slice(0, Math.max(0, 30 - running.length))];
      const described: Json[] = arns.length
        ? ((await call("ecs", "DescribeTasks", region, { cluster, tasks: arns.slice(0, 100) })).tasks ?? [])
        : [];
      const tick = Math.floor(Date.now() / 10_000);
      redraw(about, JSON.stringify(s), () => [
        facts([
          ["Status", statusBadge(ecsStatus(s.status))],
          [
            "Tasks",
            `${s.runningCount ?? 0} running, ${s.pendingCount ?? 0} pending, ${s.desiredCount ?? 0} desired`,
          ],
          ["Task definition", nameOf(s.taskDefinition)],
          ["Load balancer endpoint", endpoints(s)],
          ["Created", age(s.createdAt)],
        ]),
      ]);
      redraw(deployments, JSON.stringify([s.deployments, tick]), () => [
        table(
          "Deployments, newest first",
          [
            "Deployment",
            "Status",
            "Rollout",
            "Task definition",
            "Running / desired",
            "Pending",
            "Failed",
            "Updated",
          ],
          (s.deployments ?? []) as Json[],
          (d) => [
            h("code", {}, nameOf(d.id)),
            d.status ?? "",
            [
              statusBadge(rollout(d.rolloutState)),
              d.rolloutStateReason ? h("div", { class: "meta muted" }, d.rolloutStateReason) : null,
            ],
            nameOf(d.taskDefinition),
            `${d.runningCount ?? 0} / ${d.desiredCount ?? 0}`,
            String(d.pendingCount ?? 0),
            String(d.failedTasks ?? 0),
            age(d.updatedAt ?? d.createdAt),
          ],
          (d) => ({ "data-deployment": d.id ?? "" }),
        ),
      ]);
      redraw(tasks, JSON.stringify([described, tick]), () => [
        described.length === 0
          ? h("p", {}, "No tasks.")
          : table(
              "Tasks: running first, then recently stopped",
              ["Task", "Last status", "Desired", "Health", "Containers", "Started", "Stopped reason"],
              described,
              (t) => [
                h("code", {}, nameOf(t.taskArn).slice(0, 12)),
                statusBadge(ecsStatus(t.lastStatus)),
                t.desiredStatus ?? "",
                t.healthStatus ?? "UNKNOWN",
                (t.containers ?? []).map((c: Json) =>
                  h(
                    "div",
                    {},
                    `${c.name}: ${c.lastStatus ?? ""}${c.healthStatus && c.healthStatus !== "UNKNOWN" ? `, ${c.healthStatus}` : ""}${c.exitCode !== undefined ? `, exit ${c.exitCode}` : ""}`,
                  ),
                ),
                age(t.startedAt),
                t.stoppedReason ?? "",
              ],
              (t) => ({ "data-task": nameOf(t.taskArn) }),
            ),
      ]);
      const recent: Json[] = (s.events ?? []).slice(0, 25);
      redraw(events, JSON.stringify([recent, tick]), () => [
        recent.length === 0
          ? h("p", {}, "No events yet.")
          : h(
              "ul",
              { class: "events" },
              recent.map((e) =>
                h("li", {}, h("span", { class: "muted" }, `${age(e.createdAt)} `), e.message ?? ""),
              ),
            ),
      ]);
    } catch (error) {
      replace(about, errorBox(error));
    }
  }
  return { el, refresh };
}

/** One service: its panel, refreshed every 2 s. */
export const serviceView: View = (main, [region = "", encodedCluster = "", encodedService = ""]) => {
  const cluster = decodeURIComponent(encodedCluster);
  const service = decodeURIComponent(encodedService);
  document.title = `${service} · Services · Pipewright`;
  const panel = servicePanel(region, cluster, service);
  replace(
    main,
    h("p", {}, link("/console/services", "Services"), ` / ${region} / ${cluster}`),
    h("h1", {}, service),
    panel.el,
  );
  return poll(2000, panel.refresh).stop;
};
