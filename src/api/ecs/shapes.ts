import { bool, int, list, optional, string, stringMap, struct } from "../../lib/shape.js";

/** ECS request members shared by several operations (botocore ecs 2014-11-13). */

export const cluster = optional(string());
export const tags = optional(
  list(struct({ key: string({ min: 1, max: 128 }), value: string({ max: 256 }) }), { max: 50 }),
);
export const keyValuePairs = optional(list(struct({ name: string(), value: string() })));
export const maxResults = optional(int({ min: 1, max: 100 }));
export const nextToken = optional(string());

const healthCheck = struct({
  command: list(string()),
  interval: optional(int()),
  timeout: optional(int()),
  retries: optional(int()),
  startPeriod: optional(int()),
});

const portMapping = struct({
  containerPort: int(),
  hostPort: optional(int()),
  protocol: optional(string({ enum: ["tcp", "udp"] as const })),
  name: optional(string()),
  appProtocol: optional(string()),
});

export const containerDefinition = struct({
  name: string(),
  image: string(),
  essential: optional(bool()),
  command: optional(list(string())),
  entryPoint: optional(list(string())),
  environment: keyValuePairs,
  secrets: optional(list(struct({ name: string(), valueFrom: string() }))),
  portMappings: optional(list(portMapping)),
  workingDirectory: optional(string()),
  cpu: optional(int()),
  memory: optional(int()),
  memoryReservation: optional(int()),
  healthCheck: optional(healthCheck),
  stopTimeout: optional(int()),
  startTimeout: optional(int()),
  user: optional(string()),
  dockerLabels: optional(stringMap()),
  logConfiguration: optional(
    struct({
      logDriver: string({
        enum: [
          "json-file",
          "syslog",
          "journald",
          "gelf",
          "fluentd",
          "awslogs",
          "splunk",
          "awsfirelens",
        ] as const,
      }),
      options: optional(stringMap()),
      secretOptions: optional(list(struct({ name: string(), valueFrom: string() }))),
    }),
  ),
});

export const deploymentConfiguration = optional(
  struct({
    deploymentCircuitBreaker: optional(struct({ enable: bool(), rollback: bool() })),
    maximumPercent: optional(int({ min: 0 })),
    minimumHealthyPercent: optional(int({ min: 0 })),
  }),
);

export const loadBalancers = optional(
  list(
    struct({
      targetGroupArn: optional(string()),
      loadBalancerName: optional(string()),
      containerName: optional(string()),
      containerPort: optional(int()),
    }),
  ),
);

export const failureOf = (arn: string, reason: "MISSING" | string, detail?: string) => ({
  arn,
  reason,
  ...(detail === undefined ? {} : { detail }),
});
