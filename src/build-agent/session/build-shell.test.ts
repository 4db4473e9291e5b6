import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createHostExecutor } from "../executors/host-executor.js";
import { BuildShell } from "./build-shell.js";

const roots: string[] = [];
const shells: BuildShell[] = [];

afterEach(async () => {
  await Promise.all(shells.splice(0).map((s) => s.kill()));
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

async function start(shell = "sh", variables: { name: string; value: string }[] = []) {
  const root = await mkdtemp(join(tmpdir(), "pw-shell-"));
  roots.push(root);
  await mkdir(join(root, "tmp"));
  await mkdir(join(root, "src"));
  const lines: string[] = [];
  const s = await BuildShell.start({
    executor: createHostExecutor(),
    shell,
    tmpDir: join(root, "tmp"),
    mounts: [{ hostPath: root, path: root, readOnly: false }],
    variables: [{ name: "PATH", value: process.env.PATH ?? "/usr/bin:/bin" }, ...variables],
    workdir: join(root, "src"),
    processEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    privileged: false,
    label: "test",
    onOutput: (line) => lines.push(line),
  });
  shells.push(s);
  const run = (command: string, succeeding = true) => s.run(command, { succeeding, lastExit: 0 });
  return { s, root, lines, run };
}

describe.each(["sh", "bash"])("a build shell (%s)", (shell) => {
  it("keeps the working directory and plain assignments from one command to the next", async () => {
    const { run, lines, root } = await start(shell);
    expect(await run("mkdir sub && cd sub")).toEqual({ kind: "exited", status: 0 });
    expect(await run("IMAGE_TAG=${COMMIT:=latest}")).toEqual({ kind: "exited", status: 0 });
    await run('echo "$(pwd) $IMAGE_TAG"');
    expect(lines).toEqual([`${join(root, "src", "sub")} latest`]);
  });

  it("reports each command's exit status, and a non-zero one does not end the session", async () => {
    const { run, lines } = await start(shell);
    expect(await run("false")).toEqual({ kind: "exited", status: 1 });
    expect(await run("sh -c 'exit 7'")).toEqual({ kind: "exited", status: 7 });
    await run("echo still here");
    expect(lines).toEqual(["still here"]);
  });

  it("takes `exit N` as the command's status and resumes from the state before it", async () => {
    const { run, lines } = await start(shell);
    await run("export KEPT=yes; cd /");
    expect(await run("LOST=1; exit 3")).toEqual({ kind: "exited", status: 3 });
    await run('echo "kept=$KEPT lost=${LOST-unset} pwd=$(pwd)"');
    expect(lines).toEqual(["kept=yes lost=unset pwd=/"]);
  });

  it("confines `set -e` to the command that sets it", async () => {
    const { run, lines } = await start(shell);
    expect(await run("set -e")).toEqual({ kind: "exited", status: 0 });
    expect(await run("false; echo after-false")).toEqual({ kind: "exited", status: 0 });
    expect(await run("set -e; false; echo unreachable")).toEqual({ kind: "exited", status: 1 });
    expect(lines).toEqual(["after-false"]);
  });

  it("flushes a command's unterminated last line before the command ends, stderr included", async () => {
    const { run, lines } = await start(shell);
    await run("printf 'no newline'");
    await run("echo to-stderr >&2; printf 'second'");
    expect(lines).toEqual(["no newline", "to-stderr", "second"]);
  });

  it("gives commands an empty stdin, not the session's control stream", async () => {
    const { run, lines } = await start(shell);
    expect(await run("cat; echo read-nothing")).toEqual({ kind: "exited", status: 0 });
    await run("echo next");
    expect(lines).toEqual(["read-nothing", "next"]);
  });

  it("expands words like the inside of double quotes and reads variables", async () => {
    const { s, run } = await start(shell, [{ name: "DIR", value: "out dir" }]);
    await run("EMPTY=");
    expect(await s.expand(["$DIR/*", 'a"b', "x-$(echo sub)", "${NOPE-}"])).toEqual([
      "out dir/*",
      'a"b',
      "x-sub",
      "",
    ]);
    const vars = await s.variables(["DIR", "EMPTY", "NOPE"]);
    expect([...vars]).toEqual([
      ["DIR", "out dir"],
      ["EMPTY", ""],
    ]);
  });

  it("names the command as the user wrote it in the shell's errors, not the session's file", async () => {
    const { run, lines } = await start(shell);
    expect(await run("npm-tset --verbose")).toEqual({ kind: "exited", status: 127 });
    expect(await run("echo start\nno-such-tool-here")).toEqual({ kind: "exited", status: 127 });
    expect(lines.join("\n")).not.toContain("cmd-");
    const error = shell === "bash" ? "line 1: npm-tset: command not found" : "1: npm-tset: not found";
    expect(lines[0]).toBe(`npm-tset --verbose: ${error}`);
    expect(lines[1]).toBe("start");
    expect(lines[2]).toMatch(/^echo start \.\.\.: (line )?2: no-such-tool-here: (command )?not found$/);
  });

  it("sets CODEBUILD_BUILD_SUCCEEDING from the agent's flag", async () => {
    const { s, lines } = await start(shell);
    await s.run("echo $CODEBUILD_BUILD_SUCCEEDING", { succeeding: true, lastExit: 0 });
    await s.run("echo $CODEBUILD_BUILD_SUCCEEDING $CODEBUILD_LAST_EXIT", { succeeding: false, lastExit: 2 });
    expect(lines).toEqual(["1", "0 2"]);
  });

  it("kills a running command and what it started in the background", async () => {
    const { s, run, root } = await start(shell);
    await run(`sleep 1000 & echo $! > ${root}/bg.pid`);
    const pending = run("sleep 1000");
    await new Promise((r) => setTimeout(r, 100));
    await s.kill();
    expect(await pending).toEqual({ kind: "killed" });
    const { readFile } = await import("node:fs/promises");
    const pid = Number((await readFile(join(root, "bg.pid"), "utf8")).trim());
    expect(await alive(pid)).toBe(false);
  });
});

/** Whether a process exists and is not a zombie waiting for a parent to reap it. */
async function alive(pid: number): Promise<boolean> {
  const { readFile } = await import("node:fs/promises");
  for (let i = 0; i < 50; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
    if (stat === undefined || / Z /.test(stat)) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
