import fc from "fast-check";
import { expect, it } from "vitest";
import { createTestWorld } from "../support/test-world.js";

// Random JSON bodies, and random members mixed into plausible ones, sent to every served ECS
// operation: the answer is never a 500, every error is ECS's JSON error shape with a message,
// and the server keeps serving.
const OPERATIONS = [
  "CreateCluster",
  "DescribeClusters",
  "ListClusters",
  "DeleteCluster",
  "RegisterTaskDefinition",
  "DescribeTaskDefinition",
  "ListTaskDefinitions",
  "ListTaskDefinitionFamilies",
  "DeregisterTaskDefinition",
  "CreateService",
  "UpdateService",
  "DescribeServices",
  "ListServices",
  "DeleteService",
  "RunTask",
  "StopTask",
  "DescribeTasks",
  "ListTasks",
];
const plausible = fc.record(
  {
    cluster: fc.oneof(
      fc.constant("default"),
      fc.string(),
      fc.constant("arn:aws:ecs:us-east-1:123456789012:cluster/default"),
    ),
    clusterName: fc.oneof(fc.constant("default"), fc.string()),
    family: fc.oneof(fc.constant("web"), fc.string()),
    taskDefinition: fc.oneof(fc.constant("web"), fc.constant("web:1"), fc.string()),
    serviceName: fc.oneof(fc.constant("svc"), fc.string()),
    service: fc.oneof(fc.constant("svc"), fc.string()),
    services: fc.array(fc.string(), { maxLength: 12 }),
    tasks: fc.array(fc.string(), { maxLength: 3 }),
    task: fc.string(),
    desiredCount: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.string()),
    count: fc.integer({ min: -1, max: 12 }),
    force: fc.oneof(fc.boolean(), fc.string()),
    containerDefinitions: fc.array(
      fc.record(
        {
          name: fc.oneof(fc.constant("web"), fc.string()),
          image: fc.string(),
          portMappings: fc.array(
            fc.record({
              containerPort: fc.integer({ min: -5, max: 70_000 }),
              hostPort: fc.integer({ min: -1, max: 70_000 }),
            }),
          ),
          healthCheck: fc.record({
            command: fc.array(fc.string()),
            interval: fc.integer({ min: 0, max: 400 }),
            retries: fc.integer({ min: 0, max: 11 }),
          }),
          essential: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    deploymentConfiguration: fc.anything(),
    maxResults: fc.integer({ min: -1, max: 200 }),
    nextToken: fc.string(),
  },
  { requiredKeys: [] },
);

it("answers random ECS requests without a 500 and keeps serving", { timeout: 120_000 }, async () => {
  const world = createTestWorld();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...OPERATIONS),
      fc.oneof(plausible, fc.anything()),
      async (operation, body) => {
        const response = await world.app(
          new Request("http://pipewright.test/", {
            method: "POST",
            headers: {
              "x-amz-target": `AmazonEC2ContainerServiceV20141113.${operation}`,
              "content-type": "application/x-amz-json-1.1",
            },
            body: JSON.stringify(body),
          }),
        );
        expect(response.status, `${operation} ${JSON.stringify(body)}`).toBeLessThan(500);
        const answer = (await response.json()) as { __type?: string; message?: string };
        if (response.status >= 400) {
          expect(answer.__type).toBeTruthy();
          expect(answer.message).toBeTruthy();
          expect(answer.message).not.toMatch(/\bat .*\.(ts|js):\d+/u);
        }
      },
    ),
    { numRuns: 3_000 },
  );
  const health = await world.app(new Request("http://pipewright.test/_pipewright/health"));
  expect(health.status).toBe(200);
});
