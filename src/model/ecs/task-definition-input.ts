import { err, ok, type Result } from "../../lib/result.js";
import type { ServiceFailure } from "../exceptions.js";
import type { ContainerDefinition, TaskDefinition } from "./types.js";

/** RegisterTaskDefinition's members that Pipewright keeps (the API shape reads them). */
export interface TaskDefinitionInput {
  readonly family: string;
  readonly containerDefinitions: readonly ContainerDefinition[];
  readonly cpu?: string;
  readonly memory?: string;
  readonly networkMode?: string;
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly requiresCompatibilities?: readonly string[];
}

const NAME = /^[a-zA-Z0-9_-]{1,255}$/u;
const client = (message: string): ServiceFailure => ({ type: "ClientException", message });
const invalid = (message: string): ServiceFailure => ({ type: "InvalidParameterException", message });

/** Checks a container's health check against ECS's ranges (spec A.7); undefined when it is fine. */
function healthCheckProblem(container: ContainerDefinition, at: string): ServiceFailure | undefined {
  const check = container.healthCheck;
  if (!check) return undefined;
  if (check.command.length === 0)
    return client(
      `${at}.healthCheck.command must not be empty; give ["CMD", "exe", ...] or ["CMD-SHELL", "line"]`,
    );
  const ranges: [keyof typeof check, number, number][] = [
    ["interval", 5, 300],
    ["timeout", 2, 60],
    ["retries", 1, 10],
    ["startPeriod", 0, 300],
  ];
  for (const [field, min, max] of ranges) {
    const value = check[field] as number | undefined;
    if (value !== undefined && (value < min || value > max)) {
      const unit = field === "retries" ? "" : " seconds";
      return client(`${at}.healthCheck.${field} is ${value}; it must be between ${min} and ${max}${unit}`);
    }
  }
  return undefined;
}

function containerProblem(container: ContainerDefinition, index: number): ServiceFailure | undefined {
  const at = `containerDefinitions[${index}]`;
  if (!NAME.test(container.name))
    return client(
      `${at}.name '${container.name}' is not valid: up to 255 letters (uppercase and lowercase), numbers, hyphens and underscores are allowed`,
    );
  if (container.image.trim() === "") return client(`${at}.image must not be empty; name the image to run`);
  for (const [i, port] of (container.portMappings ?? []).entries()) {
    if (!Number.isInteger(port.containerPort) || port.containerPort < 1 || port.containerPort > 65535)
      return invalid(`${at}.portMappings[${i}].containerPort must be between 1 and 65535`);
    if (port.hostPort !== undefined && (port.hostPort < 0 || port.hostPort > 65535))
      return invalid(`${at}.portMappings[${i}].hostPort must be between 0 (ephemeral) and 65535`);
  }
  if (container.stopTimeout !== undefined && (container.stopTimeout < 0 || container.stopTimeout > 120))
    return client(`${at}.stopTimeout is ${container.stopTimeout}; it must be between 0 and 120 seconds`);
  return healthCheckProblem(container, at);
}

/** The new revision RegisterTaskDefinition stores, or the ECS exception for the first problem found. */
export function taskDefinitionFromInput(
  input: TaskDefinitionInput,
  registration: { arn: string; revision: number; now: number; principal: string },
): Result<TaskDefinition, ServiceFailure> {
  if (!NAME.test(input.family))
    return err(
      client(
        `Family '${input.family}' is not valid: up to 255 letters (uppercase and lowercase), numbers, hyphens and underscores are allowed`,
      ),
    );
  if (input.containerDefinitions.length === 0)
    return err(client("containerDefinitions must name at least one container"));
  const seen = new Set<string>();
  for (const [index, container] of input.containerDefinitions.entries()) {
    const problem = containerProblem(container, index);
    if (problem) return err(problem);
    if (seen.has(container.name))
      return err(
        client(`Container names must be unique within a task definition: '${container.name}' appears twice`),
      );
    seen.add(container.name);
  }
  if (!input.containerDefinitions.some((c) => c.essential !== false))
    return err(
      client("A task definition must have at least one essential container (set essential: true on one)"),
    );
  return ok({
    taskDefinitionArn: registration.arn,
    family: input.family,
    revision: registration.revision,
    status: "ACTIVE",
    containerDefinitions: input.containerDefinitions.map((c) => ({ ...c, essential: c.essential ?? true })),
    ...(input.cpu === undefined ? {} : { cpu: input.cpu }),
    ...(input.memory === undefined ? {} : { memory: input.memory }),
    networkMode: input.networkMode ?? "bridge",
    ...(input.taskRoleArn === undefined ? {} : { taskRoleArn: input.taskRoleArn }),
    ...(input.executionRoleArn === undefined ? {} : { executionRoleArn: input.executionRoleArn }),
    ...(input.requiresCompatibilities === undefined
      ? {}
      : { requiresCompatibilities: input.requiresCompatibilities }),
    compatibilities: ["EC2", "EXTERNAL"],
    registeredAt: registration.now,
    registeredBy: registration.principal,
  });
}
