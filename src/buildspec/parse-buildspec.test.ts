import { describe, expect, it } from "vitest";
import { formatBuildspecIssue } from "./parse-buildspec.js";
import { describeIssue, errors, onlyError, parsed, withBuild, yaml } from "./testing/parse-helpers.js";
import type { BuildspecIssue } from "./types.js";

describe("parseBuildspec: scalars keep their literal text", () => {
  it("reads version, runtime versions and variable values as written", () => {
    const { buildspec } = parsed(
      yaml(
        "version: 0.2",
        "env:",
        "  variables:",
        "    GCC_VERSION: 9",
        "    BUILD_S2N: true",
        '    QUOTED: "tab\\there"',
        "    SINGLE: 'it''s'",
        "    EMPTY:",
        "phases:",
        "  install:",
        "    runtime-versions:",
        "      python: 3.10",
        "      golang: 1.20",
      ),
    );
    expect(buildspec.version).toBe("0.2");
    expect(buildspec.phases.install?.runtimeVersions).toEqual([
      { name: "python", value: "3.10" },
      { name: "golang", value: "1.20" },
    ]);
    expect(buildspec.env.variables).toEqual([
      { name: "GCC_VERSION", value: "9" },
      { name: "BUILD_S2N", value: "true" },
      { name: "QUOTED", value: "tab\there" },
      { name: "SINGLE", value: "it's" },
      { name: "EMPTY", value: "" },
    ]);
  });

  it("keeps multi-line block scalars as one command, as YAML gives them", () => {
    const { buildspec } = parsed(
      yaml(
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        "      - |",
        "        set -e",
        "        make",
        "      - >",
        "        docker build",
        "        -t web .",
      ),
    );
    expect(buildspec.phases.build?.commands).toEqual(["set -e\nmake\n", "docker build -t web .\n"]);
  });

  it("accepts yes/no/true/false in any case for yes/no keys", () => {
    const { buildspec } = parsed(
      withBuild("artifacts:", "  files: a", "  discard-paths: YES", "  enable-symlinks: False"),
    );
    expect(buildspec.artifacts?.discardPaths).toBe(true);
    expect(buildspec.artifacts?.enableSymlinks).toBe(false);
  });

  it("rejects other values in yes/no keys, naming the key", () => {
    expect(onlyError(withBuild("env:", "  git-credential-helper: maybe"))).toBe(
      '7:26 env.git-credential-helper: git-credential-helper must be yes or no, found "maybe"',
    );
  });
});

describe("parseBuildspec: YAML problems", () => {
  it("reports a tab used for indentation with its position", () => {
    expect(onlyError("version: 0.2\nphases:\n\tbuild:\n")).toBe(
      "3:1 phases: found a tab character that cannot start any token; indent with spaces",
    );
  });

  it("reports a tab on every line that has one", () => {
    expect(errors("version: 0.2\nphases:\n\tbuild:\n\t\tcommands: [a]\n").map((e) => e.line)).toEqual([3, 4]);
  });

  it("points an unclosed quote at where it opens", () => {
    const issue = errors(withBuild('      - "echo hi', "      - make"))[0]!;
    expect([issue.line, issue.column, issue.path]).toEqual([6, 9, "phases.build.commands[1]"]);
    expect(issue.message).toContain('opens with " but never closes it');
  });

  it("reports bad indentation as invalid YAML with a hint", () => {
    const issue = errors(
      yaml("version: 0.2", "phases:", "  build:", "    commands:", "      - a", "     - b"),
    )[0]!;
    expect(issue.line).toBe(6);
    expect(issue.message).toMatch(/^invalid YAML: .*check this line's indentation/u);
  });

  it("reports duplicate keys with the line of the first one and keeps reading", () => {
    const found = errors(
      yaml(
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands: [a]",
        "  build:",
        "    commands: [b]",
        "  test: {}",
      ),
    );
    expect(found.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual([
      "5:3 phases.build",
      "7:3 phases.test",
    ]);
    expect(found[0]!.message).toBe(
      'duplicate key "build": it is already defined at line 3; a key may appear once per mapping, so merge the two',
    );
  });

  it("explains an unquoted * pattern, which YAML reads as an alias", () => {
    expect(onlyError(withBuild("artifacts:", "  files:", "    - *.jar"))).toBe(
      "8:7 artifacts.files[0]: *.jar is read as a YAML alias because it starts with *; quote it: '*.jar'",
    );
  });

  it("accepts real anchors and aliases", () => {
    const { buildspec } = parsed(
      yaml(
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        "      - &greet echo hi",
        "      - *greet",
      ),
    );
    expect(buildspec.phases.build?.commands).toEqual(["echo hi", "echo hi"]);
  });

  it("rejects YAML tags as a sign of a CloudFormation template", () => {
    expect(onlyError(yaml("Resources:", "  Bucket:", "    Name: !Ref BucketName"))).toBe(
      "3:11 Resources.Bucket.Name: the YAML tag !Ref is not allowed in a buildspec; this looks like a CloudFormation template, not a buildspec (point the project at the buildspec file, or remove the tag)",
    );
  });

  it("rejects other tags without blaming CloudFormation", () => {
    expect(onlyError(withBuild().replace("version: 0.2", "version: !!float 0.2"))).toBe(
      "1:10 version: the YAML tag tag:yaml.org,2002:float is not allowed in a buildspec; remove it: buildspec values are plain strings",
    );
  });

  it("rejects a second YAML document", () => {
    expect(onlyError(withBuild("---", "version: 0.2"))).toBe(
      "6:1 : a buildspec is one YAML document, but a second document starts here (after ---); remove the --- line and everything after it, or move it to its own file",
    );
  });

  it("allows document markers around the one document", () => {
    expect(parsed(`---\n${withBuild("...")}`).buildspec.phases.build?.commands).toEqual(["make"]);
  });

  it("rejects an empty file and a file of comments", () => {
    expect(onlyError("")).toBe(
      "1:1 : the buildspec is empty; it needs at least version: 0.2 and a phases section",
    );
    expect(errors("# nothing yet\n")[0]!.message).toContain("the buildspec is empty");
  });

  it("rejects a root that is not a mapping", () => {
    expect(onlyError("- make\n")).toBe(
      "1:1 : the buildspec must be a YAML mapping of keys (version:, phases:, ...), found a list",
    );
  });

  it("rejects merge keys", () => {
    const merge = errors(withBuild("cache:", "  <<: {paths: [a]}"))[1];
    expect(describeIssue(merge!)).toBe(
      "7:3 cache: YAML merge keys (<<) are not supported in a buildspec; write the keys out in full",
    );
  });
});

describe("parseBuildspec: version", () => {
  it("accepts 0.1 and 0.2", () => {
    expect(parsed(withBuild().replace("0.2", "0.1")).buildspec.version).toBe("0.1");
    expect(parsed(withBuild().replace("0.2", '"0.2"')).buildspec.version).toBe("0.2");
  });

  it("rejects other versions with a hint", () => {
    expect(onlyError(withBuild().replace("0.2", "2.0"))).toBe(
      '1:10 version: version "2.0" is not a buildspec version (buildspec versions are 0.1 and 0.2, not 2.0); use version: 0.2, the current format',
    );
  });

  it("requires a version", () => {
    expect(onlyError(yaml("phases:", "  build:", "    commands: [make]"))).toBe(
      "1:1 version: version is missing; add version: 0.2 as the first line of the buildspec",
    );
  });
});

describe("parseBuildspec: top-level keys", () => {
  it("rejects batch instead of ignoring it", () => {
    expect(onlyError(withBuild("batch:", "  fast-fail: true"))).toBe(
      "6:1 batch: batch builds are not supported by Pipewright yet; remove the batch section and run each build as its own project",
    );
  });

  it("accepts proxy with a warning and still checks its values", () => {
    expect(parsed(withBuild("proxy:", "  upload-artifacts: yes", "  logs: no")).warnings[0]!.message).toBe(
      "proxy is ignored: Pipewright uploads artifacts and writes logs itself, without an explicit proxy",
    );
    expect(errors(withBuild("proxy:", "  logs: sometimes"))[0]!.message).toBe(
      'logs must be yes or no, found "sometimes"',
    );
  });

  it("warns about unknown keys and says where misplaced ones belong", () => {
    const { warnings } = parsed(withBuild("exported-variables: [IMAGE_TAG]", "artefacts: {}"));
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.path}`)).toEqual([
      "6:1 exported-variables",
      "7:1 artefacts",
    ]);
    expect(warnings[0]!.message).toBe(
      'unknown key "exported-variables" at the top level is ignored (valid keys are version, run-as, env, proxy, batch, phases, reports, artifacts, cache); "exported-variables" belongs under env:',
    );
    expect(warnings[1]!.message).toContain('did you mean "artifacts"?');
  });
});

describe("parseBuildspec: collecting issues", () => {
  it("reports every error in the file, sorted by position", () => {
    const found = errors(
      yaml(
        "version: 0.3",
        "artifacts:",
        "  files: []",
        "phases:",
        "  build:",
        "    on-failure: SKIP",
        "    commands:",
        "      - echo a: b",
      ),
    );
    expect(found.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual([
      "1:10 version",
      "3:10 artifacts.files",
      "6:17 phases.build.on-failure",
      "8:9 phases.build.commands[0]",
    ]);
    expect(found.every((e) => e.severity === "error")).toBe(true);
  });

  it("formats an issue like a compiler message", () => {
    const issue: BuildspecIssue = { severity: "error", line: 3, column: 5, path: "phases", message: "bad" };
    expect(formatBuildspecIssue("buildspec.yml", issue)).toBe("buildspec.yml:3:5: error: bad");
  });
});
