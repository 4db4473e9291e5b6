import type Dockerode from "dockerode";
import { describe, expect, it } from "vitest";
import type { ContainerEngine } from "./docker-engine.js";
import { createSelector } from "./select-executor.js";

describe("the executor selector's start-up reap", () => {
  it("does not wait for the container engine, and a container build first removes what is left", async () => {
    const events: string[] = [];
    const engine: ContainerEngine = {
      describe: "a fake engine",
      docker: {
        listContainers: async () => {
          events.push("listed leftover containers");
          return [];
        },
      } as unknown as Dockerode,
    };
    const selector = createSelector({
      findEngine: async () => {
        events.push("looked for the engine");
        return { engine };
      },
    });
    expect(typeof (await selector.reapOrphans?.())).toBe("number");
    expect(events).toEqual([]); // start-up did not wait for the engine
    const choice = await selector.choose("img", "container");
    events.push(`chose ${choice.executor.kind}`);
    expect(events).toEqual(["looked for the engine", "listed leftover containers", "chose container"]);
    await selector.close();
  });
});
