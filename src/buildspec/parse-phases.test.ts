import { describe, expect, it } from "vitest";
import { errors, onlyError, parsed, withBuild, yaml } from "./testing/parse-helpers.js";

describe("parseBuildspec: phases", () => {
  it("requires phases", () => {
    expect(onlyError("version: 0.2\n")).toBe(
      "1:1 phases: phases is missing; a buildspec needs a phases section with at least one of install, pre_build, build, post_build",
    );
  });

  it("says to indent phases written at the top level", () => {
    const found = errors(yaml("version: 0.2", "install:", "  commands: [a]", "build:", "  commands: [b]"));
    expect(found.map((e) => e.message)).toEqual([
      "phases is missing; a buildspec needs a phases section with at least one of install, pre_build, build, post_build; install and build are at the top level: indent them under a phases: line",
    ]);
  });

  it("rejects an empty phases section", () => {
    expect(onlyError(yaml("version: 0.2", "phases:"))).toBe(
      "2:1 phases: phases is empty; declare at least one of install, pre_build, build, post_build with its commands",
    );
  });

  it("rejects unknown phase names, listing the valid ones", () => {
    expect(onlyError(yaml("version: 0.2", "phases:", "  pre-build:", "    commands: [a]"))).toBe(
      '3:3 phases.pre-build: unknown key "pre-build" in phases (valid keys are install, pre_build, build, post_build); did you mean "pre_build"?',
    );
  });

  it("reads every phase key", () => {
    const { buildspec } = parsed(
      yaml(
        "version: 0.2",
        "run-as: builder",
        "phases:",
        "  install:",
        "    run-as: root",
        "    runtime-versions:",
        "      nodejs: 20",
        "    commands:",
        "  build:",
        "    on-failure: CONTINUE",
        "    commands:",
        "      - npm test",
        "    finally:",
        "      - rm -rf tmp",
      ),
    );
    expect(buildspec.runAs).toBe("builder");
    expect(buildspec.phases).toEqual({
      install: {
        runAs: "root",
        runtimeVersions: [{ name: "nodejs", value: "20" }],
        commands: [],
        finally: [],
      },
      build: {
        onFailure: { kind: "CONTINUE" },
        runtimeVersions: [],
        commands: ["npm test"],
        finally: ["rm -rf tmp"],
      },
    });
  });

  it("accepts a phase with no value, with a warning", () => {
    const { buildspec, warnings } = parsed(withBuild("  post_build:"));
    expect(buildspec.phases.post_build?.commands).toEqual([]);
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      "6:3 phases.post_build is empty and runs no commands; add commands: or remove it",
    ]);
  });

  it("rejects runtime-versions outside install", () => {
    expect(onlyError(withBuild("    runtime-versions:", "      java: corretto17"))).toBe(
      "6:5 phases.build.runtime-versions: runtime-versions is allowed only in the install phase; move it to phases.install",
    );
  });

  it("rejects unknown phase keys, suggesting the closest", () => {
    expect(onlyError(withBuild("    comands: [a]"))).toBe(
      '6:5 phases.build.comands: unknown key "comands" in phases.build (valid keys are run-as, on-failure, runtime-versions, commands, finally); did you mean "commands"?',
    );
  });

  it("reads an invalid on-failure value as an error at the value", () => {
    expect(onlyError(withBuild("    on-failure: RETRY-0"))).toBe(
      "6:17 phases.build.on-failure: phases.build.on-failure: the retry count in RETRY-0 must be a positive integer, e.g. RETRY-2",
    );
  });
});

describe("parseBuildspec: commands", () => {
  it("reads a single scalar as one command, with a warning", () => {
    const { buildspec, warnings } = parsed(
      yaml("version: 0.2", "phases:", "  build:", "    commands: npm test"),
    );
    expect(buildspec.phases.build?.commands).toEqual(["npm test"]);
    expect(warnings).toEqual([
      {
        severity: "warning",
        line: 4,
        column: 15,
        path: "phases.build.commands",
        message:
          'phases.build.commands should be a list; read the single value as one item (write it as "- npm test")',
      },
    ]);
  });

  it("phrases an unquoted ': ' like CodeBuild and shows the quoted command", () => {
    expect(onlyError(withBuild("      - echo Build started on: today"))).toBe(
      "6:9 phases.build.commands[1]: Expected Commands[1] to be of string type: found subkeys instead; a command containing ': ' must be quoted, e.g. - \"echo Build started on: today\"",
    );
  });

  it("uses Finally in the message for finally items and single quotes when needed", () => {
    expect(errors(withBuild("    finally:", '      - echo "done": ok'))[0]!.message).toBe(
      "Expected Finally[0] to be of string type: found subkeys instead; a command containing ': ' must be quoted, e.g. - 'echo \"done\": ok'",
    );
  });

  it("rejects other non-string items", () => {
    expect(onlyError(withBuild("      - [a, b]"))).toBe(
      "6:9 phases.build.commands[1]: phases.build.commands[1] must be one command string, found a list",
    );
  });

  it("skips an empty item with a warning", () => {
    const { buildspec, warnings } = parsed(withBuild("      -"));
    expect(buildspec.phases.build?.commands).toEqual(["make"]);
    expect(warnings[0]?.message).toBe(
      'phases.build.commands[1] is empty and is ignored; remove the empty "-" line',
    );
  });

  it("rejects commands written as a mapping", () => {
    expect(onlyError(yaml("version: 0.2", "phases:", "  build:", "    commands:", "      make: all"))).toBe(
      '5:7 phases.build.commands: phases.build.commands must be a list ("- item" lines), found a mapping (key: value lines)',
    );
  });
});
