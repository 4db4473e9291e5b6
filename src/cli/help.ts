/** The text of `pipewright help`, `pipewright COMMAND --help` and `pipewright help COMMAND`. */

/** The commands that talk to a server over its AWS API (cli/client-commands.ts runs them). */
export const CLIENT_COMMANDS: ReadonlySet<string> = new Set([
  "pipelines",
  "status",
  "logs",
  "start",
  "approve",
  "retry",
  "stop",
]);

const CLIENT_OPTIONS = `Client options (every command that talks to a server):
  --endpoint-url URL  the server (default PIPEWRIGHT_ENDPOINT, else http://127.0.0.1:4577);
                      \`aws\` calls AWS's own regional endpoints
  --region R          default AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1
  --profile P         keys and region of profile P in ~/.aws/credentials and ~/.aws/config
  --json              the answer as JSON (errors as {"error": ...} on stderr)
  Credentials: --profile, else AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN,
  else the profile AWS_PROFILE names (or default) in the shared files.
  Colour only on a terminal; NO_COLOR turns it off.
Exit codes: 0 ok, 1 the operation failed (e.g. the execution Failed), 2 usage error,
  3 not found, 4 cannot reach the server, 5 credentials refused.`;

export const commandHelp: Readonly<Record<string, string>> = {
  demo: `Usage: pipewright demo [--yes] [--runtime docker|process] [--stop] [--dir D] [--port P] [--endpoint-url URL] [--timeout S]
       pipewright demo --down --dir D

The commit-to-production story on this machine (docs/demo.md): starts a server (127.0.0.1:4577
when free), pushes a sample web app to a hosted repository and follows the pipeline demo
(Source, Build, DeployIntegration, IntegrationTest, Cleanup, Approve, DeployProduction), then
rolls v2 out under load and shows the circuit breaker stopping a broken v3.
  --yes          approve the manual approval by itself (else it waits for you and says how)
  --runtime R    docker (containers; needs an engine, the docker CLI, a static busybox) or
                 process (host processes); default: docker when it can, else process
  --stop         delete the demo's services and stop the server at the end (default: it keeps
                 running so everything stays inspectable; --down --dir D stops it later)
  --dir D        where the data, the working copy and the server log go (default: a new temp dir)
  --port P       the server's port (default 4577 when free, else any; 0: any free port)
  --endpoint-url use a running server instead of starting one
  --timeout S    how long one execution may take (default 300)
Exit code 0 only when every check held (production serves v2, no failed request, v3 stopped).
`,
  serve: `Usage: pipewright serve [--host H] [--port P] [--data-dir D] [--region R] [--account-id A] [--max-body-bytes N]

Runs the API (CodePipeline, CodeBuild, CodeCommit, S3, ECR, SSM, Secrets Manager, git) on one
port, default 127.0.0.1:4577, storing everything in --data-dir (default ./.pipewright).
Set PIPEWRIGHT_CREDENTIALS=AKID:SECRET[,AKID:SECRET] to require SigV4 signatures; without
credentials Pipewright only listens on loopback. Environment: PIPEWRIGHT_HOST, PIPEWRIGHT_PORT,
PIPEWRIGHT_DATA_DIR, PIPEWRIGHT_REGION, PIPEWRIGHT_ACCOUNT_ID. Stops on SIGINT / SIGTERM.
`,
  build: `Usage: pipewright build [-b FILE] [-s DIR] [-s ID:DIR] [-a DIR] [-r DIR] [-e FILE] [-i IMAGE] [-c] [-p PROFILE]
                        [-d] [--executor auto|host|sandbox|container] [--timeout 60m] [--no-cache] [--data-dir D]

Runs ./buildspec.yml (or -b FILE) here with CodeBuild's phases, variables, artifacts, reports,
cache and exit semantics. Exit code 0 when the build SUCCEEDED, 1 when it did not, 2 for bad options.
  -b FILE       the buildspec (default buildspec.yml in the source directory)
  -s DIR        the primary source (used in place; default .); -s ID:DIR a secondary source
  -a DIR        write artifacts there as zips;  -r DIR  write test reports there as JSON
  -e FILE       VAR=VALUE lines for the build's environment
  -i IMAGE      run in this container image;  -d  privileged (docker inside the build)
  -c            pass the host's AWS_* variables and ~/.aws;  -p PROFILE  as AWS_PROFILE
  --executor    auto (default: bubblewrap sandbox on the host when it works), host, sandbox, container
  --timeout     90s, 10m, 1h (default 60m);  --no-cache  ignore the buildspec's local cache
  --data-dir D  Parameter Store / Secrets Manager values come from this Pipewright data
                directory (default PIPEWRIGHT_DATA_DIR, else ./.pipewright); a server may be
                running on it
`,
  validate: `Usage: pipewright validate FILE [--json] [--region R] [--account-id A]

Checks a pipeline declaration (JSON or YAML, bare or {"pipeline": ...}) offline with the same
rules as CreatePipeline; prints "path: message" lines. Exit code 1 on errors, 0 otherwise
(warnings included).
`,
  pipelines: `Usage: pipewright pipelines [--regions R1,R2,...] [client options]

Lists the pipelines of every region at once (ListPipelines in each AWS region, in parallel), or
of the regions given. Regions that refuse the key are reported on stderr and skipped.

${CLIENT_OPTIONS}
`,
  status: `Usage: pipewright status PIPELINE [--watch] [--interval SECONDS] [client options]

Shows the pipeline's stages and actions with their statuses (GetPipelineState), and its latest
execution with its source revisions. Exit code 1 when that execution Failed or was Stopped.
--watch redraws as it changes until the latest execution has ended (every 2 s, or --interval).

${CLIENT_OPTIONS}
`,
  logs: `Usage: pipewright logs BUILD_ID [-f] [client options]
       pipewright logs PIPELINE [STAGE [ACTION]] [--execution-id ID] [-f] [client options]

Prints a build's log, or the log of the build a pipeline's CodeBuild action ran (in the latest
execution, or --execution-id). -f follows the log until the build ends. Builds on AWS keep
their logs in CloudWatch Logs: the command says where (exit code 1).

${CLIENT_OPTIONS}
`,
  start: `Usage: pipewright start PIPELINE [client options]

Starts an execution (StartPipelineExecution) and prints its id.

${CLIENT_OPTIONS}
`,
  approve: `Usage: pipewright approve PIPELINE STAGE ACTION [--reject] [--summary TEXT] [client options]

Approves (or with --reject, rejects) a Manual approval action that is waiting, with the token
GetPipelineState shows for it (PutApprovalResult).

${CLIENT_OPTIONS}
`,
  retry: `Usage: pipewright retry PIPELINE STAGE [--all-actions] [--execution-id ID] [client options]

Retries the failed actions of the stage's latest execution (RetryStageExecution FAILED_ACTIONS;
--all-actions: ALL_ACTIONS).

${CLIENT_OPTIONS}
`,
  stop: `Usage: pipewright stop PIPELINE EXECUTION_ID [--abandon] [--reason TEXT] [client options]

Stops an execution (StopPipelineExecution): in-progress actions finish, unless --abandon.

${CLIENT_OPTIONS}
`,
};

export function globalUsage(version: string): string {
  return `pipewright ${version}: continuous delivery with AWS CodePipeline's API, anywhere

Usage: pipewright COMMAND [options]   (pipewright COMMAND --help for its options)

Local:
  serve      run the server (API, builds, git, registry) on 127.0.0.1:4577
  build      run ./buildspec.yml here with CodeBuild's semantics
  validate   check a pipeline declaration offline
  demo       the commit-to-production story on this machine, in one command
Client (talk to a running server, or to AWS with --endpoint-url aws):
  pipelines  every pipeline of every region
  status     a pipeline's stages, actions and latest execution (--watch)
  logs       a build's log, or a pipeline action's (-f follows)
  start      start an execution
  approve    approve or reject a waiting Manual approval
  retry      retry a stage's failed actions
  stop       stop an execution
Other:
  help [COMMAND], --version

Exit codes: 0 ok, 1 failed, 2 usage error, 3 not found, 4 cannot reach the server,
5 credentials refused (docs/cli.md).
`;
}
