/**
 * The shell side of a build session: one long-lived shell runs every command of a build, so
 * `cd` and variables carry from one command and phase to the next (buildspec 0.2, spec §4.2)
 * at the cost of a line on a pipe, not a process per command.
 *
 * Protocol. The agent writes each command to `<tmp>/cmd-<n>.sh`, then a line
 * `R <n> <succeeding> <lastExit>` on the shell's stdin. The shell
 *  1. sets CODEBUILD_BUILD_SUCCEEDING and CODEBUILD_LAST_EXIT,
 *  2. checkpoints its exported variables (`export -p`) and working directory to `<tmp>/env.sh`
 *     and `<tmp>/cwd`,
 *  3. sources the command file with stdin from /dev/null and `set -a` on, so plain assignments
 *     (`IMAGE_TAG=latest`) are exported and survive a restart,
 *  4. resets shell options and traps (a `set -e` line affects only its own command), and
 *  5. prints `RS PWDONE <n> <status> RS` on its output, which also carries the command's
 *     stdout and stderr (merged with `exec 2>&1`), so the marker follows all of its output.
 * A command that ends the shell (`exit 3`, a failing command under `set -e`, a syntax error in
 * dash) ends the session: the agent takes the exit code as the command's status and starts a
 * new shell, which resumes from the checkpoint taken just before that command.
 * `Q` ends the loop. RS is the ASCII record separator (0x1e), which command output never uses.
 */
export function bootstrapScript(tmpDir: string): string {
  const t = shellQuote(tmpDir);
  return [
    "exec 2>&1",
    `__pw_t=${t}`,
    `. "$__pw_t/env.sh" || { printf '\\036PWFAIL cannot read the build environment\\036\\n'; exit 97; }`,
    `IFS= read -r __pw_cwd < "$__pw_t/cwd"; cd "$__pw_cwd" 2>/dev/null`,
    "__pw_done() {",
    "  set +a +e +u +x +v +f +C",
    "  trap - EXIT HUP INT TERM",
    '  printf \'\\036PWDONE %s %s\\036\\n\' "$__pw_n" "$1"',
    "}",
    "printf '\\036PWREADY\\036\\n'",
    "while IFS=' ' read -r __pw_op __pw_n __pw_s __pw_e; do",
    '  [ "$__pw_op" = R ] || break',
    "  CODEBUILD_BUILD_SUCCEEDING=$__pw_s; CODEBUILD_LAST_EXIT=$__pw_e",
    "  export CODEBUILD_BUILD_SUCCEEDING CODEBUILD_LAST_EXIT",
    '  export -p > "$__pw_t/env.sh"; pwd > "$__pw_t/cwd"',
    "  set -a",
    '  { . "$__pw_t/cmd-$__pw_n.sh"; } < /dev/null',
    "  __pw_done $?",
    "done",
  ].join("\n");
}

/** `'text'` for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The initial `env.sh`: one `export NAME='value'` line per variable. */
export function environmentScript(variables: readonly { name: string; value: string }[]): string {
  return variables.map((v) => `export ${v.name}=${shellQuote(v.value)}\n`).join("");
}
