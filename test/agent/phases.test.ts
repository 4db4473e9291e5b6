import { afterAll, describe, expect, it } from "vitest";
import { cleanupRuns, contextOf, runAgent } from "../support/agent-harness.js";

// Conformance with spec/buildspec.md §4: phase order, transitions after a failure, finally,
// on-failure, exit statuses and the log format.

afterAll(cleanupRuns);

const ALL = ["INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD"] as const;

function buildspecFailingIn(failing: (typeof ALL)[number], extra = "") {
  const phase = (name: string) => {
    const upper = name.toUpperCase();
    const cmd = upper === failing ? `exit 3` : `echo ran-${upper} succeeding=$CODEBUILD_BUILD_SUCCEEDING`;
    return `  ${name}:\n${upper === failing ? extra : ""}    commands:\n      - ${cmd}\n`;
  };
  return `version: 0.2\nphases:\n${["install", "pre_build", "build", "post_build"].map(phase).join("")}`;
}

describe("phases", () => {
  it("runs every phase in CodeBuild's order and logs it in CodeBuild's format", async () => {
    const run = await runAgent("version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello\n");
    expect(run.phases).toEqual([
      ["PROVISIONING", "SUCCEEDED"],
      ["DOWNLOAD_SOURCE", "SUCCEEDED"],
      ["INSTALL", "SUCCEEDED"],
      ["PRE_BUILD", "SUCCEEDED"],
      ["BUILD", "SUCCEEDED"],
      ["POST_BUILD", "SUCCEEDED"],
      ["UPLOAD_ARTIFACTS", "SUCCEEDED"],
      ["FINALIZING", "SUCCEEDED"],
      ["COMPLETED", undefined],
    ]);
    expect(run.result.buildStatus).toBe("SUCCEEDED");
    expect(run.output).toEqual(["hello"]);
    const build = run.agent.indexOf("Entering phase BUILD");
    expect(run.agent.slice(build, build + 4)).toEqual([
      "Entering phase BUILD",
      "Running command echo hello",
      "Phase complete: BUILD State: SUCCEEDED",
      "Phase context status code:  Message: ",
    ]);
    expect(run.agent).toContain("Phases found in YAML: 1");
    expect(run.agent).toContain(" BUILD: 1 commands");
  });

  it.each([
    ["INSTALL", ["INSTALL", "FINALIZING"]],
    ["PRE_BUILD", ["INSTALL", "PRE_BUILD", "FINALIZING"]],
    ["BUILD", ["INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING"]],
    ["POST_BUILD", ["INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING"]],
  ] as const)(
    "after a failure in %s goes on with CodeBuild's default transitions",
    async (failing, expected) => {
      const run = await runAgent(buildspecFailingIn(failing));
      const after = run.phases
        .map(([p]) => p)
        .filter((p) => !["PROVISIONING", "DOWNLOAD_SOURCE", "COMPLETED"].includes(p));
      expect(after).toEqual(expected);
      expect(run.result.buildStatus).toBe("FAILED");
      expect(run.phases.find(([p]) => p === failing)?.[1]).toBe("FAILED");
      expect(contextOf(run, failing)).toEqual({
        statusCode: "COMMAND_EXECUTION_ERROR",
        message: "Error while executing command: exit 3. Reason: exit status 3",
      });
      expect(run.agent).toContain("Command did not exit successfully exit 3 exit status 3");
      if (failing === "BUILD") expect(run.output).toContain("ran-POST_BUILD succeeding=0");
    },
  );

  it("on-failure CONTINUE goes on to the next phase; the build still fails and SUCCEEDING is 0", async () => {
    const run = await runAgent(buildspecFailingIn("INSTALL", "    on-failure: CONTINUE\n"));
    expect(run.phases.map(([p]) => p)).toContain("POST_BUILD");
    expect(run.output).toEqual([
      "ran-PRE_BUILD succeeding=0",
      "ran-BUILD succeeding=0",
      "ran-POST_BUILD succeeding=0",
    ]);
    expect(run.result.buildStatus).toBe("FAILED");
  });

  it("on-failure ABORT after BUILD skips POST_BUILD and the artifact upload", async () => {
    const run = await runAgent(buildspecFailingIn("BUILD", "    on-failure: ABORT\n"));
    expect(run.phases.map(([p]) => p)).not.toContain("POST_BUILD");
    expect(run.phases.map(([p]) => p)).not.toContain("UPLOAD_ARTIFACTS");
    expect(run.result.buildStatus).toBe("FAILED");
  });

  it("on-failure RETRY-2 reruns a failing phase until it passes", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    on-failure: RETRY-2",
        "    commands:",
        "      - n=$(cat tries 2>/dev/null || echo 0); echo $((n+1)) > tries; echo try $((n+1)); [ $n -ge 1 ]",
      ].join("\n"),
    );
    expect(run.output).toEqual(["try 1", "try 2"]);
    expect(run.result.buildStatus).toBe("SUCCEEDED");
    expect(run.agent).toContain("Phase BUILD failed; retrying it (retry 1 of 2)");
  });

  it("skips the remaining commands after a failure, runs finally, and fails when finally fails", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        "      - echo one",
        "      - 'false'",
        "      - echo skipped",
        "    finally:",
        "      - echo cleanup",
        "      - echo cleanup-two",
        "  post_build:",
        "    commands:",
        "      - echo post",
        "    finally:",
        "      - exit 4",
      ].join("\n"),
    );
    expect(run.output).toEqual(["one", "cleanup", "cleanup-two", "post"]);
    expect(contextOf(run, "BUILD")?.message).toBe(
      "Error while executing command: false. Reason: exit status 1",
    );
    expect(contextOf(run, "POST_BUILD")?.message).toBe(
      "Error while executing command: exit 4. Reason: exit status 4",
    );
  });

  it("counts only a multi-line command's last status, unless it sets -e", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        "      - |",
        "        false",
        "        echo masked-failure",
        "      - |",
        "        set -e",
        "        false",
        "        echo not-reached",
      ].join("\n"),
    );
    expect(run.output).toEqual(["masked-failure"]);
    expect(run.phases.find(([p]) => p === "BUILD")?.[1]).toBe("FAILED");
  });

  it("keeps the working directory and plain variables across commands and phases in 0.2", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  pre_build:",
        "    commands:",
        "      - mkdir -p app && cd app",
        "      - IMAGE_TAG=${COMMIT_HASH:=latest}",
        "  build:",
        "    commands:",
        '      - echo "$(basename $(pwd)) $IMAGE_TAG $COMMIT_HASH"',
      ].join("\n"),
    );
    expect(run.output).toEqual(["app latest latest"]);
  });

  it("runs every command of a 0.1 buildspec in a fresh shell", async () => {
    const run = await runAgent(
      [
        "version: 0.1",
        "environment_variables:",
        "  plaintext:",
        "    GREETING: hi",
        "phases:",
        "  build:",
        "    commands:",
        "      - mkdir -p app && cd app && X=1",
        '      - echo "$(basename $(pwd)) X=${X-unset} $GREETING"',
      ].join("\n"),
    );
    expect(run.output).toEqual([`${run.sourceDir.split("/").at(-1)} X=unset hi`]);
  });

  it("runs commands with sh unless env.shell says bash", async () => {
    const script = (shell: string) =>
      `version: 0.2\nenv:\n  shell: ${shell}\nphases:\n  build:\n    commands:\n      - '[[ 1 == 1 ]] && echo double-brackets'\n`;
    const dash = await runAgent(script("/bin/sh"));
    expect(dash.output).not.toContain("double-brackets");
    const bash = await runAgent(script("bash"));
    expect(bash.output).toEqual(["double-brackets"]);
  });

  it("fails DOWNLOAD_SOURCE with YAML_FILE_ERROR and the line for a broken buildspec", async () => {
    const run = await runAgent(
      "version: 0.2\nphases:\n  build:\n    commands:\n      - echo Build started on: today\n",
    );
    expect(run.phases.map(([p, s]) => `${p}:${s}`)).toEqual([
      "PROVISIONING:SUCCEEDED",
      "DOWNLOAD_SOURCE:FAILED",
      "FINALIZING:SUCCEEDED",
      "COMPLETED:undefined",
    ]);
    const context = contextOf(run, "DOWNLOAD_SOURCE");
    expect(context?.statusCode).toBe("YAML_FILE_ERROR");
    expect(context?.message).toMatch(/Expected Commands\[0\] to be of string type.*at line 5$/);
    expect(run.agent.some((l) => /buildspec\.yml:5:\d+: error:/.test(l))).toBe(true);
  });

  it("refuses keys it does not run (batch, run-as) instead of ignoring them", async () => {
    const batch = await runAgent(
      "version: 0.2\nbatch:\n  fast-fail: true\nphases:\n  build:\n    commands:\n      - echo x\n",
    );
    expect(contextOf(batch, "DOWNLOAD_SOURCE")?.message).toMatch(
      /batch builds are not supported by Pipewright/,
    );
    const runAs = await runAgent(
      "version: 0.2\nrun-as: builder\nphases:\n  build:\n    commands:\n      - echo x\n",
    );
    expect(contextOf(runAs, "DOWNLOAD_SOURCE")?.message).toMatch(/run-as builder is not supported/);
    expect(runAs.output).toEqual([]);
  });
});
