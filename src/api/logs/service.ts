import { bool, int, list, optional, string, struct } from "../../lib/shape.js";
import type { LogEvent, LogEventStore } from "../../runtime/ecs/task-logs.js";
import { apiError } from "../errors.js";
import type { JsonService } from "../operation.js";
import { defineOperation } from "../operation.js";
import { decodeNextToken, encodeNextToken } from "../pagination.js";

/**
 * Amazon CloudWatch Logs (`Logs_20140328`, signing name `logs`, AWS JSON 1.1), read side only:
 * the output of ECS tasks that Pipewright keeps (runtime/ecs/task-logs.ts), so `aws logs
 * get-log-events` reads a task's stream as on AWS. Groups and streams exist because tasks wrote
 * them; writing, retention, queries and subscriptions answer UnsupportedOperationException.
 * docs/ecs.md ("Task logs") says what differs.
 */
export function createLogsService(deps: { readonly logs: LogEventStore }): JsonService {
  return {
    targetPrefix: "Logs_20140328",
    signingName: "logs",
    operations: [
      describeLogGroups(deps),
      describeLogStreams(deps),
      getLogEvents(deps),
      filterLogEvents(deps),
    ],
    notImplemented,
  };
}

const groupNotFound = () =>
  apiError(
    "ResourceNotFoundException",
    "The specified log group does not exist. Pipewright's log groups are those of ECS tasks' awslogs configuration (aws logs describe-log-groups lists them).",
  );

const limit = (max: number) => optional(int({ min: 1, max }));

/** One page of names in order after the token's name. */
function pageOf<T>(kind: string, items: readonly T[], nameOf: (t: T) => string, token?: string, size = 50) {
  const after = decodeNextToken(kind, token);
  const start = after === undefined ? 0 : items.findIndex((i) => nameOf(i) > after);
  const from = start < 0 ? items.length : start;
  const slice = items.slice(from, from + size);
  return from + size < items.length
    ? { items: slice, nextToken: encodeNextToken(kind, nameOf(slice.at(-1)!)) }
    : { items: slice };
}

const describeLogGroups = (deps: { logs: LogEventStore }) =>
  defineOperation({
    name: "DescribeLogGroups",
    input: struct({
      logGroupNamePrefix: optional(string({ min: 1, max: 512 })),
      logGroupNamePattern: optional(string({ max: 512 })),
      nextToken: optional(string()),
      limit: limit(50),
      accountIdentifiers: optional(list(string())),
      includeLinkedAccounts: optional(bool()),
    }),
    async handle(input, { scope }) {
      const all = (await deps.logs.groups(scope)).filter(
        (g) =>
          g.logGroupName.startsWith(input.logGroupNamePrefix ?? "") &&
          g.logGroupName.includes(input.logGroupNamePattern ?? ""),
      );
      const page = pageOf("logs:DescribeLogGroups", all, (g) => g.logGroupName, input.nextToken, input.limit);
      return {
        logGroups: page.items.map((g) => ({
          ...g,
          metricFilterCount: 0,
          arn: `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${g.logGroupName}:*`,
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  });

const describeLogStreams = (deps: { logs: LogEventStore }) =>
  defineOperation({
    name: "DescribeLogStreams",
    input: struct({
      logGroupName: optional(string({ min: 1, max: 512 })),
      logGroupIdentifier: optional(string()),
      logStreamNamePrefix: optional(string({ min: 1, max: 512 })),
      orderBy: optional(string({ enum: ["LogStreamName", "LastEventTime"] as const })),
      descending: optional(bool()),
      nextToken: optional(string()),
      limit: limit(50),
    }),
    async handle(input, { scope }) {
      const group = input.logGroupName ?? input.logGroupIdentifier;
      if (!group) throw apiError("InvalidParameterException", "Give logGroupName (or logGroupIdentifier).");
      const streams = await deps.logs.streams(scope, group);
      if (!streams) throw groupNotFound();
      let all = streams.filter((s) => s.logStreamName.startsWith(input.logStreamNamePrefix ?? ""));
      if (input.orderBy === "LastEventTime")
        all = [...all].sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0));
      if (input.descending) all = [...all].reverse();
      const page = pageOf(
        `logs:DescribeLogStreams:${group}`,
        all,
        (s) => s.logStreamName,
        input.nextToken,
        input.limit,
      );
      return {
        logStreams: page.items.map((s) => ({
          ...s,
          arn: `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${group}:log-stream:${s.logStreamName}`,
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  });

/**
 * GetLogEvents as AWS pages it: without a token, the newest `limit` events (or the oldest with
 * startFromHead); `f/<n>` reads forward from event n, `b/<n>` backward up to it. Reading past the
 * end returns no events and the same forward token (how clients know they are at the end).
 */
const getLogEvents = (deps: { logs: LogEventStore }) =>
  defineOperation({
    name: "GetLogEvents",
    input: struct({
      logGroupName: optional(string({ min: 1, max: 512 })),
      logGroupIdentifier: optional(string()),
      logStreamName: string({ min: 1, max: 512 }),
      startTime: optional(int({ min: 0 })),
      endTime: optional(int({ min: 0 })),
      nextToken: optional(string()),
      limit: limit(10_000),
      startFromHead: optional(bool()),
      unmask: optional(bool()),
    }),
    async handle(input, { scope }) {
      const group = input.logGroupName ?? input.logGroupIdentifier;
      if (!group) throw apiError("InvalidParameterException", "Give logGroupName (or logGroupIdentifier).");
      const all = await deps.logs.events(scope, group, input.logStreamName);
      if (!all) {
        if (!(await deps.logs.streams(scope, group))) throw groupNotFound();
        throw apiError(
          "ResourceNotFoundException",
          `The specified log stream does not exist. There is no stream '${input.logStreamName}' in ${group} (aws logs describe-log-streams --log-group-name ${group} lists them).`,
        );
      }
      const events = all.filter(
        (e) =>
          (input.startTime === undefined || e.timestamp >= input.startTime) &&
          (input.endTime === undefined || e.timestamp < input.endTime),
      );
      const size = input.limit ?? 10_000;
      const token = input.nextToken === undefined ? undefined : /^([fb])\/(\d+)$/u.exec(input.nextToken);
      if (input.nextToken !== undefined && !token)
        throw apiError(
          "InvalidParameterException",
          "The specified nextToken is invalid: give a token from an earlier GetLogEvents answer.",
        );
      let start: number;
      let end: number;
      if (token?.[1] === "f" || (!token && input.startFromHead)) {
        start = Math.min(token ? Number(token[2]) : 0, events.length);
        end = Math.min(start + size, events.length);
      } else {
        end = Math.min(token ? Number(token[2]) : events.length, events.length);
        start = Math.max(0, end - size);
      }
      return {
        events: events.slice(start, end).map(render),
        nextForwardToken: `f/${end.toString().padStart(56, "0")}`,
        nextBackwardToken: `b/${start.toString().padStart(56, "0")}`,
      };
    },
  });

/** FilterLogEvents over the group's streams; `filterPattern` terms must all appear (quoted: as one). */
const filterLogEvents = (deps: { logs: LogEventStore }) =>
  defineOperation({
    name: "FilterLogEvents",
    input: struct({
      logGroupName: optional(string({ min: 1, max: 512 })),
      logGroupIdentifier: optional(string()),
      logStreamNames: optional(list(string())),
      logStreamNamePrefix: optional(string()),
      startTime: optional(int({ min: 0 })),
      endTime: optional(int({ min: 0 })),
      filterPattern: optional(string({ max: 1024 })),
      nextToken: optional(string()),
      limit: limit(10_000),
      interleaved: optional(bool()),
      unmask: optional(bool()),
    }),
    async handle(input, { scope }) {
      const group = input.logGroupName ?? input.logGroupIdentifier;
      if (!group) throw apiError("InvalidParameterException", "Give logGroupName (or logGroupIdentifier).");
      const streams = await deps.logs.streams(scope, group);
      if (!streams) throw groupNotFound();
      const terms = [...(input.filterPattern ?? "").matchAll(/"([^"]*)"|(\S+)/gu)].map((m) => m[1] ?? m[2]!);
      const found: (ReturnType<typeof render> & { logStreamName: string; eventId: string })[] = [];
      for (const s of streams) {
        const name = s.logStreamName;
        if (input.logStreamNames && !input.logStreamNames.includes(name)) continue;
        if (!name.startsWith(input.logStreamNamePrefix ?? "")) continue;
        const events = (await deps.logs.events(scope, group, name)) ?? [];
        events.forEach((e, i) => {
          if (input.startTime !== undefined && e.timestamp < input.startTime) return;
          if (input.endTime !== undefined && e.timestamp > input.endTime) return;
          if (!terms.every((t) => e.message.includes(t))) return;
          found.push({ ...render(e), logStreamName: name, eventId: `${name}/${i}` });
        });
      }
      found.sort((a, b) => a.timestamp - b.timestamp);
      const after = decodeNextToken(`logs:FilterLogEvents:${group}`, input.nextToken);
      const from = after === undefined ? 0 : Number(after);
      const size = input.limit ?? 10_000;
      const slice = found.slice(from, from + size);
      return {
        events: slice,
        searchedLogStreams: [],
        ...(from + size < found.length
          ? { nextToken: encodeNextToken(`logs:FilterLogEvents:${group}`, String(from + size)) }
          : {}),
      };
    },
  });

const render = (e: LogEvent) => ({
  timestamp: e.timestamp,
  message: e.message,
  ingestionTime: e.ingestionTime,
});

/** The rest of botocore's logs 2014-03-28 model. */
const notImplemented = [
  "AssociateKmsKey",
  "CancelExportTask",
  "CreateExportTask",
  "CreateLogGroup",
  "CreateLogStream",
  "DeleteDataProtectionPolicy",
  "DeleteDestination",
  "DeleteLogGroup",
  "DeleteLogStream",
  "DeleteMetricFilter",
  "DeleteQueryDefinition",
  "DeleteResourcePolicy",
  "DeleteRetentionPolicy",
  "DeleteSubscriptionFilter",
  "DescribeDestinations",
  "DescribeExportTasks",
  "DescribeMetricFilters",
  "DescribeQueries",
  "DescribeQueryDefinitions",
  "DescribeResourcePolicies",
  "DescribeSubscriptionFilters",
  "DisassociateKmsKey",
  "GetDataProtectionPolicy",
  "GetLogGroupFields",
  "GetLogRecord",
  "GetQueryResults",
  "ListTagsForResource",
  "ListTagsLogGroup",
  "PutDataProtectionPolicy",
  "PutDestination",
  "PutDestinationPolicy",
  "PutLogEvents",
  "PutMetricFilter",
  "PutQueryDefinition",
  "PutResourcePolicy",
  "PutRetentionPolicy",
  "PutSubscriptionFilter",
  "StartQuery",
  "StopQuery",
  "TagLogGroup",
  "TagResource",
  "TestMetricFilter",
  "UntagLogGroup",
  "UntagResource",
];
