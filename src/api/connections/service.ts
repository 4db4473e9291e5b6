import { int, list, optional, string, struct } from "../../lib/shape.js";
import type { ConnectionService, Connections } from "../../runtime/sources/connections.js";
import type { ConnectionRecord } from "../../store/types.js";
import { fromFailure } from "../errors.js";
import { defineOperation, type JsonService } from "../operation.js";
import { decodeNextToken, encodeNextToken } from "../pagination.js";

const providerType = string({
  enum: [
    "Bitbucket",
    "GitHub",
    "GitHubEnterpriseServer",
    "GitLab",
    "GitLabSelfManaged",
    "AzureDevOps",
  ] as const,
});
const connectionArn = string({ min: 0, max: 256, pattern: "arn:aws(-[\\w]+)*:.+:.+:[0-9]{12}:.+" });
const tags = list(struct({ Key: string({ min: 1, max: 128 }), Value: string({ min: 0, max: 256 }) }), {
  max: 200,
});

/**
 * CodeConnections (`CodeConnections_20231201`, signing name codeconnections) and its older name
 * CodeStar connections (`CodeStar_connections_20191201`, codestar-connections): the same four
 * operations over the same connections, each answering with its own ARN form. AWS JSON 1.0.
 */
export function createConnectionServices(connections: Connections): JsonService[] {
  return [
    service(connections, "com.amazonaws.codeconnections.CodeConnections_20231201", "codeconnections"),
    service(
      connections,
      "com.amazonaws.codestar.connections.CodeStar_connections_20191201",
      "codestar-connections",
    ),
  ];
}

function service(
  connections: Connections,
  targetPrefix: string,
  signingName: ConnectionService,
): JsonService {
  const render = (c: ConnectionRecord) => ({
    ConnectionName: c.connectionName,
    ConnectionArn: connections.arnOf(c, signingName),
    ProviderType: c.providerType,
    OwnerAccountId: c.scope.accountId,
    ConnectionStatus: "AVAILABLE",
    ...(c.hostArn ? { HostArn: c.hostArn } : {}),
  });
  return {
    targetPrefix,
    signingName,
    jsonVersion: "1.0",
    operations: [
      defineOperation({
        name: "CreateConnection",
        input: struct({
          ProviderType: optional(providerType),
          ConnectionName: string({ min: 1, max: 32 }),
          Tags: optional(tags),
          HostArn: optional(string({ min: 0, max: 256 })),
        }),
        async handle(input, ctx) {
          const created = await connections.create(
            ctx.scope,
            {
              name: input.ConnectionName,
              ...(input.ProviderType ? { providerType: input.ProviderType } : {}),
              ...(input.HostArn ? { hostArn: input.HostArn } : {}),
              tags: input.Tags ?? [],
            },
            ctx.now,
          );
          if (!created.ok) throw fromFailure(created.error);
          return {
            ConnectionArn: connections.arnOf(created.value, signingName),
            ...(input.Tags ? { Tags: input.Tags } : {}),
          };
        },
      }),
      defineOperation({
        name: "GetConnection",
        input: struct({ ConnectionArn: connectionArn }),
        async handle(input, ctx) {
          const found = await connections.get(ctx.scope, input.ConnectionArn);
          if (!found.ok) throw fromFailure(found.error);
          return { Connection: render(found.value) };
        },
      }),
      defineOperation({
        name: "ListConnections",
        input: struct({
          ProviderTypeFilter: optional(providerType),
          HostArnFilter: optional(string({ min: 0, max: 256 })),
          MaxResults: optional(int({ min: 0, max: 100 })),
          NextToken: optional(string({ min: 1, max: 1024 })),
        }),
        async handle(input, ctx) {
          const after = decodeNextToken(`ListConnections:${signingName}`, input.NextToken);
          const page = await connections.list(ctx.scope, after, input.MaxResults || 100);
          const items = page.items.filter(
            (c) =>
              (!input.ProviderTypeFilter || c.providerType === input.ProviderTypeFilter) &&
              (!input.HostArnFilter || c.hostArn === input.HostArnFilter),
          );
          return {
            Connections: items.map(render),
            ...(page.nextAfter
              ? { NextToken: encodeNextToken(`ListConnections:${signingName}`, page.nextAfter) }
              : {}),
          };
        },
      }),
      defineOperation({
        name: "DeleteConnection",
        input: struct({ ConnectionArn: connectionArn }),
        async handle(input, ctx) {
          const removed = await connections.remove(ctx.scope, input.ConnectionArn);
          if (!removed.ok) throw fromFailure(removed.error);
          return {};
        },
      }),
    ],
    notImplemented: [
      "CreateHost",
      "CreateRepositoryLink",
      "CreateSyncConfiguration",
      "DeleteHost",
      "DeleteRepositoryLink",
      "DeleteSyncConfiguration",
      "GetHost",
      "GetRepositoryLink",
      "GetRepositorySyncStatus",
      "GetResourceSyncStatus",
      "GetSyncBlockerSummary",
      "GetSyncConfiguration",
      "ListHosts",
      "ListRepositoryLinks",
      "ListRepositorySyncDefinitions",
      "ListSyncConfigurations",
      "ListTagsForResource",
      "TagResource",
      "UntagResource",
      "UpdateHost",
      "UpdateRepositoryLink",
      "UpdateSyncBlocker",
      "UpdateSyncConfiguration",
    ],
  };
}
