import type { ContainerDefinition } from "../../model/ecs/types.js";
import type { Scope } from "../../store/types.js";

/** One stored line of output, as CloudWatch Logs' OutputLogEvent (epoch ms). */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
}

export interface LogStreamSummary {
  readonly logStreamName: string;
  readonly creationTime: number;
  readonly firstEventTimestamp?: number;
  readonly lastEventTimestamp?: number;
  readonly lastIngestionTime?: number;
  readonly storedBytes: number;
}

export interface LogGroupSummary {
  readonly logGroupName: string;
  readonly creationTime: number;
  readonly storedBytes: number;
}

/**
 * Where tasks' output is kept, in CloudWatch Logs' terms (log groups of log streams of events),
 * for the Logs API (api/logs) to read. Contract:
 *  - `append` adds events at the end of a stream, creating the group and stream when new; a
 *    resolved append is durable.
 *  - `count` is the number of events in a stream (0 for none): the task driver ships only the
 *    lines after it, so a restart ships no line twice.
 *  - reads return undefined for a group or stream that does not exist; lists are by name.
 * Calls for different streams may run concurrently; one stream has one writer (its task).
 */
export interface LogEventStore {
  append(
    scope: Scope,
    group: string,
    stream: string,
    events: readonly { timestamp: number; message: string }[],
  ): Promise<void>;
  count(scope: Scope, group: string, stream: string): Promise<number>;
  groups(scope: Scope): Promise<LogGroupSummary[]>;
  streams(scope: Scope, group: string): Promise<LogStreamSummary[] | undefined>;
  events(scope: Scope, group: string, stream: string): Promise<LogEvent[] | undefined>;
}

/**
 * Where a container's output goes (pure). The `awslogs` driver with `awslogs-group`: that group,
 * stream `<awslogs-stream-prefix>/<container name>/<task id>` (AWS's naming), or the container's
 * runtime id without a prefix (AWS: the Docker container id). No logConfiguration: the ECS
 * console's default, group `/ecs/<family>` and prefix `ecs`. Any other driver: not kept.
 */
export function logTargetOf(
  container: ContainerDefinition,
  family: string,
  taskId: string,
  runtimeId: string,
): { readonly group: string; readonly stream: string } | undefined {
  const config = container.logConfiguration;
  if (!config) return { group: `/ecs/${family}`, stream: `ecs/${container.name}/${taskId}` };
  const group = config.options?.["awslogs-group"];
  if (config.logDriver !== "awslogs" || !group) return undefined;
  const prefix = config.options?.["awslogs-stream-prefix"];
  return {
    group,
    stream: prefix ? `${prefix}/${container.name}/${taskId}` : runtimeId.replace(/^process:/u, "process-"),
  };
}
