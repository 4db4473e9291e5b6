import { list, optional, string, struct } from "../../../lib/shape.js";
import type { EcsClusterRecord, Scope } from "../../../store/types.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { EcsDeps } from "../deps.js";
import { page } from "../paginate.js";
import { renderCluster } from "../render.js";
import { failureOf, keyValuePairs, maxResults, nextToken, tags } from "../shapes.js";
import { checkTags } from "./tags.js";

async function rendered(deps: EcsDeps, scope: Scope, record: EcsClusterRecord) {
  return renderCluster(record, await deps.clusters.counts(scope, record.cluster.clusterName));
}

export const createCluster = (deps: EcsDeps) =>
  defineOperation({
    name: "CreateCluster",
    input: struct({
      clusterName: optional(string()),
      tags,
      settings: keyValuePairs,
      configuration: optional(struct({})),
      capacityProviders: optional(list(string())),
    }),
    async handle(input, { scope }) {
      checkTags(input.tags);
      const created = await deps.clusters.create(scope, input);
      if (!created.ok) throw fromFailure(created.error);
      return { cluster: await rendered(deps, scope, created.value) };
    },
  });

export const describeClusters = (deps: EcsDeps) =>
  defineOperation({
    name: "DescribeClusters",
    input: struct({ clusters: optional(list(string())), include: optional(list(string())) }),
    async handle(input, { scope }) {
      const clusters = [];
      const failures = [];
      for (const reference of input.clusters ?? ["default"]) {
        const found = await deps.clusters.get(scope, reference);
        if (found) clusters.push(await rendered(deps, scope, found));
        else
          failures.push(
            failureOf(
              reference.startsWith("arn:")
                ? reference
                : `arn:aws:ecs:${scope.region}:${scope.accountId}:cluster/${reference}`,
              "MISSING",
            ),
          );
      }
      return { clusters, failures };
    },
  });

export const listClusters = (deps: EcsDeps) =>
  defineOperation({
    name: "ListClusters",
    input: struct({ nextToken, maxResults }),
    async handle(input, { scope }) {
      const { items, nextToken: next } = page(
        "ecs:ListClusters",
        await deps.clusters.listArns(scope),
        input.nextToken,
        input.maxResults,
      );
      return { clusterArns: items, ...(next === undefined ? {} : { nextToken: next }) };
    },
  });

export const deleteCluster = (deps: EcsDeps) =>
  defineOperation({
    name: "DeleteCluster",
    input: struct({ cluster: string() }),
    async handle(input, { scope }) {
      const removed = await deps.clusters.remove(scope, input.cluster);
      if (!removed.ok) throw fromFailure(removed.error);
      return { cluster: await rendered(deps, scope, removed.value) };
    },
  });
