/**
 * Random HTTP requests for the request fuzzer: methods, targets, hosts, paths, headers,
 * encodings and bodies mixed from what each front end reads (AWS JSON 1.1, S3, git smart HTTP,
 * the build-log and notify endpoints) and what breaks parsers (bad percent-encoding, deep JSON,
 * NUL bytes, lies about lengths). Deterministic for a seed, so a failure reproduces.
 */

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Sent byte for byte over a socket (framing no client library would produce). */
  readonly raw?: Buffer;
  /** Sign it with the server's key (SigV4) so it gets past authentication. */
  readonly sign?: { readonly service: string };
}

/** mulberry32: small, fast, good enough to spread choices. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TARGETS = [
  "CodePipeline_20150709",
  "CodeBuild_20161006",
  "CodeCommit_20150413",
  "AmazonSSM",
  "secretsmanager",
  "com.amazonaws.codeconnections.CodeConnections_20231201",
  "CodeStar_connections_20191201",
  "AmazonEC2ContainerRegistry_V20150921",
  "AmazonEC2ContainerServiceV20141113",
  "Nope_2020",
  "",
];
const OPERATIONS = [
  "ListPipelines",
  "GetPipeline",
  "CreatePipeline",
  "UpdatePipeline",
  "DeletePipeline",
  "StartPipelineExecution",
  "GetPipelineState",
  "ListPipelineExecutions",
  "PollForJobs",
  "AcknowledgeJob",
  "PutJobSuccessResult",
  "PutApprovalResult",
  "CreateProject",
  "StartBuild",
  "BatchGetBuilds",
  "CreateRepository",
  "GetBranch",
  "PutParameter",
  "GetParameters",
  "CreateSecret",
  "GetSecretValue",
  "CreateConnection",
  "CreateRepository",
  "DescribeRepositories",
  "PutWebhook",
  "",
  "A".repeat(300),
];
const SIGNING = ["codepipeline", "codebuild", "codecommit", "ssm", "secretsmanager", "s3", "ecr", "sts"];
const METHODS = [
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "PATCH",
  "PROPFIND",
  "MKCOL",
  "PURGE",
  "TRACE",
];
const PATHS = [
  "/",
  "/_pipewright/health",
  "/_pipewright/builds/p:1234/logs",
  "/_pipewright/builds/../../etc/passwd",
  "/_pipewright/sources/notify",
  "/v1/repos/app/info/refs?service=git-upload-pack",
  "/v1/repos/app/git-receive-pack",
  "/v1/repos/../../secrets.key/info/refs",
  "/v1/repos/%2e%2e/info/refs?service=git-upload-pack",
  "/bucket",
  "/bucket/key",
  "/bucket/a/../../b",
  "/bucket/key?uploads",
  "/bucket/key?partNumber=1&uploadId=x",
  "/bucket?list-type=2&prefix=%ZZ",
  "/bucket?versions&max-keys=-1",
  "/v2/",
  "/v2/app/manifests/latest",
  "/v2/app/blobs/uploads/",
  "/2015-03-31/functions",
  "/2015-03-31/functions/f/invocations",
  "/%00",
  "/%",
  "/\u00e9\u4e2d",
  "//double//slashes//",
];
const CONTENT_TYPES = [
  "application/x-amz-json-1.1",
  "application/x-amz-json-1.0",
  "application/json",
  "application/xml",
  "application/x-git-upload-pack-request",
  "text/plain; charset=utf-16",
  "multipart/form-data; boundary=",
  "",
];

export function randomRequest(rand: () => number): FuzzRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const chance = (p: number) => rand() < p;

  if (chance(0.08)) return rawRequest(pick, chance);

  const headers: Record<string, string> = {};
  let path = pick(PATHS);
  if (chance(0.3)) path = randomPath(rand, pick);
  if (chance(0.5)) {
    const prefix = pick(TARGETS);
    headers["x-amz-target"] = chance(0.9) ? `${prefix}.${pick(OPERATIONS)}` : randomText(rand, 40);
  }
  if (chance(0.8)) headers["content-type"] = pick(CONTENT_TYPES);
  if (chance(0.3)) headers.authorization = randomAuthorization(rand, pick, chance);
  if (chance(0.2)) headers["x-amz-date"] = pick(["20261202T120000Z", "garbage", "99999999T999999Z", ""]);
  if (chance(0.15)) {
    headers["x-amz-content-sha256"] = pick([
      "UNSIGNED-PAYLOAD",
      "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "0".repeat(64),
      "not-a-hash",
    ]);
  }
  if (chance(0.1)) headers["content-encoding"] = pick(["gzip", "aws-chunked", "br", "deflate", "x-nope"]);
  if (chance(0.1)) headers["x-amz-decoded-content-length"] = pick(["0", "-1", "99999999999", "abc"]);
  if (chance(0.1)) headers.range = pick(["bytes=0-10", "bytes=-5", "bytes=10-2", "bytes=x", "lines=1-2"]);
  if (chance(0.05)) headers["x-amz-copy-source"] = pick(["/bucket/key", "../../x", "%"]);
  if (chance(0.05)) headers["git-protocol"] = pick(["version=2", "version=99", ""]);
  if (chance(0.05)) headers["content-md5"] = pick(["", "abc", "1B2M2Y8AsgTpgAmY7PhCfg=="]);
  const method = chance(0.6) ? "POST" : pick(METHODS);
  const body = method === "GET" || method === "HEAD" ? Buffer.alloc(0) : randomBody(rand, pick, chance);
  const sign = chance(0.25) ? { service: pick(SIGNING) } : undefined;
  return { method, path, headers, body, ...(sign ? { sign } : {}) };
}

function randomPath(rand: () => number, pick: <T>(items: readonly T[]) => T): string {
  const segments = Array.from({ length: 1 + Math.floor(rand() * 5) }, () =>
    pick([
      "..",
      ".",
      "%2e%2e",
      "%2F",
      "a",
      "bucket",
      "key.txt",
      "%ff%fe",
      randomText(rand, 12),
      "x".repeat(2000),
    ]),
  );
  const query =
    rand() < 0.4 ? `?${pick(["uploads", "versioning", "acl", "list-type=2", "=", "&&", "%zz=1"])}` : "";
  return `/${segments.map((s) => encodeURIComponent(s).replace(/%25/gu, "%")).join("/")}${query}`;
}

function randomAuthorization(
  rand: () => number,
  pick: <T>(items: readonly T[]) => T,
  chance: (p: number) => boolean,
): string {
  if (chance(0.3)) return pick(["AWS4-HMAC-SHA256", "Basic Zm9vOmJhcg==", "Bearer x", "", "AWS AKID:sig"]);
  const service = pick(SIGNING);
  const credential = chance(0.8)
    ? `AKIDFUZZ/20261202/us-east-1/${service}/aws4_request`
    : randomText(rand, 30);
  return `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${pick(["host", "host;x-amz-date", ""])}, Signature=${pick(["0".repeat(64), "zz", ""])}`;
}

function randomBody(
  rand: () => number,
  pick: <T>(items: readonly T[]) => T,
  chance: (p: number) => boolean,
): Buffer {
  if (chance(0.15)) return Buffer.alloc(0);
  if (chance(0.15))
    return Buffer.from(Array.from({ length: Math.floor(rand() * 2000) }, () => Math.floor(rand() * 256)));
  if (chance(0.05)) return Buffer.from(`${"[".repeat(20_000)}${"]".repeat(20_000)}`);
  if (chance(0.05)) return Buffer.from(`{"a":${'{"a":'.repeat(5_000)}1${"}".repeat(5_001)}`);
  if (chance(0.1))
    return Buffer.from(pick(["<xml", "<?xml version='1.0'?><CreateBucketConfiguration/>", "0000", "PACK"]));
  return Buffer.from(JSON.stringify(randomJson(rand, pick, 0)));
}

function randomJson(rand: () => number, pick: <T>(items: readonly T[]) => T, depth: number): unknown {
  const keys = [
    "name",
    "pipeline",
    "stages",
    "actions",
    "pipelineName",
    "projectName",
    "jobId",
    "nonce",
    "token",
    "repositoryName",
    "Name",
    "Value",
    "Type",
    "SecretId",
    "maxResults",
    "nextToken",
    "configuration",
    "__proto__",
    "constructor",
  ];
  const r = rand();
  if (depth > 4 || r < 0.3) {
    return pick([
      0,
      -1,
      1e308,
      3.5,
      "",
      "x",
      "****",
      "a".repeat(5000),
      null,
      true,
      "\u0000",
      "#{x.y}",
      "../..",
    ]);
  }
  if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => randomJson(rand, pick, depth + 1));
  return Object.fromEntries(
    Array.from({ length: 1 + Math.floor(rand() * 5) }, () => [pick(keys), randomJson(rand, pick, depth + 1)]),
  );
}

function rawRequest(pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean): FuzzRequest {
  const method = pick([...METHODS, "CONNECT", "BREW", "GET\u0000"]);
  const host = pick(["127.0.0.1", "a:99999", "[::1", "x/y", "", "user@host", "h\u00e9", "localhost:0"]);
  const lines = [
    `${method} ${pick([...PATHS, "*", "http://other/", "no-slash"])} HTTP/1.${chance(0.9) ? 1 : 0}`,
    ...(chance(0.9) ? [`Host: ${host}`] : []),
  ];
  const body = chance(0.5) ? "{}" : "";
  if (chance(0.3)) lines.push(`Transfer-Encoding: ${pick(["chunked", "gzip, chunked", "nope"])}`);
  if (chance(0.3)) lines.push(`Content-Length: ${pick(["2", "-1", "99", "abc", "2, 3"])}`);
  if (chance(0.3)) lines.push(`X-Amz-Target: ${pick(TARGETS)}.${pick(OPERATIONS)}`);
  if (chance(0.1)) lines.push(`X-Long: ${"y".repeat(20_000)}`);
  const chunked = chance(0.2) ? pick(["zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n", "2\r\n{}\r\n0\r\n\r\n"]) : body;
  const raw = Buffer.from(`${lines.join("\r\n")}\r\n\r\n${chunked}`, "latin1");
  return { method, path: "", headers: {}, body: Buffer.alloc(0), raw };
}

function randomText(rand: () => number, max: number): string {
  const alphabet = [..."abcXYZ019._-~!*'();:@&=+$,/?#[]% \u00e9\u4e2d\ud83d\ude00"];
  return Array.from(
    { length: Math.floor(rand() * max) },
    () => alphabet[Math.floor(rand() * alphabet.length)],
  ).join("");
}
