import { describe, expect, it } from "vitest";
import { swapImages, type TaskDefinitionLike } from "./task-definition.js";

const current: TaskDefinitionLike = {
  taskDefinitionArn: "arn:aws:ecs:us-east-1:111111111111:task-definition/web:7",
  family: "web",
  revision: 7,
  status: "ACTIVE",
  registeredAt: 1_700_000_000,
  registeredBy: "arn:aws:iam::111111111111:root",
  compatibilities: ["EC2", "FARGATE"],
  requiresAttributes: [{ name: "com.amazonaws.ecs.capability.docker-remote-api.1.18" }],
  taskRoleArn: "arn:aws:iam::111111111111:role/task",
  networkMode: "bridge",
  cpu: "256",
  memory: "512",
  volumes: [{ name: "data" }],
  containerDefinitions: [
    {
      name: "web",
      image: "r/web:1",
      essential: true,
      environment: [{ name: "A", value: "1" }],
      portMappings: [{ containerPort: 80 }],
    },
    { name: "sidecar", image: "r/side:1", essential: false },
  ],
};

describe("swapImages", () => {
  it("copies the current revision and replaces only the named containers' images", () => {
    const r = swapImages(current, [{ name: "web", imageUri: "r/web:2" }], "imagedefinitions.json");
    expect(r).toEqual({
      ok: true,
      value: {
        family: "web",
        taskRoleArn: "arn:aws:iam::111111111111:role/task",
        networkMode: "bridge",
        cpu: "256",
        memory: "512",
        volumes: [{ name: "data" }],
        containerDefinitions: [
          {
            name: "web",
            image: "r/web:2",
            essential: true,
            environment: [{ name: "A", value: "1" }],
            portMappings: [{ containerPort: 80 }],
          },
          { name: "sidecar", image: "r/side:1", essential: false },
        ],
      },
    });
  });

  it("drops what ECS sets (arn, revision, status, registeredAt, ...) and carries tags", () => {
    const r = swapImages(current, [{ name: "sidecar", imageUri: "r/side:2" }], "f", [
      { key: "team", value: "a" },
    ]);
    if (!r.ok) throw new Error(r.error.message);
    for (const k of [
      "taskDefinitionArn",
      "revision",
      "status",
      "registeredAt",
      "registeredBy",
      "compatibilities",
      "requiresAttributes",
    ])
      expect(r.value).not.toHaveProperty(k);
    expect(r.value.tags).toEqual([{ key: "team", value: "a" }]);
    expect(current.containerDefinitions![1]!.image).toBe("r/side:1");
  });

  it("lists the valid container names when a name is unknown", () => {
    const r = swapImages(
      current,
      [
        { name: "web", imageUri: "x" },
        { name: "api", imageUri: "y" },
        { name: "db", imageUri: "z" },
      ],
      "imagedefinitions.json",
    );
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: "UnknownContainerName",
        message:
          "imagedefinitions.json names containers 'api', 'db' that are not in task definition web:7. Valid container names: 'web', 'sidecar'.",
      },
    });
    const one = swapImages(current, [{ name: "api", imageUri: "y" }], "images.json");
    expect(!one.ok && one.error.message).toBe(
      "images.json names a container 'api' that is not in task definition web:7. Valid container names: 'web', 'sidecar'.",
    );
  });

  it("fails when nothing matched, and when the task definition cannot be copied", () => {
    expect(swapImages(current, [], "f")).toMatchObject({ ok: false, error: { code: "NoContainerMatched" } });
    expect(
      swapImages({ family: "x", containerDefinitions: [] }, [{ name: "a", imageUri: "b" }], "f"),
    ).toMatchObject({
      ok: false,
      error: { code: "InvalidTaskDefinition" },
    });
  });
});
