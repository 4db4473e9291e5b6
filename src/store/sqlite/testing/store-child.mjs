// A separate process that uses the SQLite stores, for tests that kill or race processes.
// Run: node --import ./register-typescript.mjs store-child.mjs <mode> <database file> [args]
//   write <file> <count>     creates <count> pipelines, printing "wrote <n>" after each commit,
//                            then waits to be killed (it never closes the database).
//   race <file> <attempts>   prints "ready", waits for a line on stdin, then tries <attempts>
//                            updates of pipeline "raced", each from the version it just read;
//                            prints the JSON {"won": [versions it wrote], "lost": n}.
//   numbers <file> <count>   prints "ready", waits for a line on stdin, then takes <count> build
//                            numbers of project "raced"; prints them as a JSON array.
//   builds <file> <count>    puts <count> builds of project "app", each with one log line,
//                            printing "wrote <n>" after each, then waits to be killed.
import { createInterface } from "node:readline";
import { createSqliteStores } from "../create-sqlite-stores.js";

const scope = { accountId: "111111111111", region: "us-east-1" };
const [mode, file, countText] = process.argv.slice(2);
const count = Number(countText);

function declaration(name, marker) {
  return {
    name,
    roleArn: "arn:aws:iam::111111111111:role/pipeline",
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Checkout",
            actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
            configuration: { S3Bucket: "sources", S3ObjectKey: "app.zip", Marker: marker },
          },
        ],
      },
    ],
  };
}

const stores = createSqliteStores({ file });

if (mode === "write") {
  for (let i = 0; i < count; i++) {
    const name = `pipeline-${String(i).padStart(3, "0")}`;
    const created = await stores.pipelines.create({
      scope,
      name,
      version: 1,
      declaration: { ...declaration(name, `child ${process.pid}`), version: 1 },
      created: i,
      updated: i,
    });
    if (!created.ok) throw new Error(`create ${name}: ${created.reason}`);
    process.stdout.write(`wrote ${i + 1}\n`);
  }
  setInterval(() => {}, 60_000);
} else if (mode === "race") {
  process.stdout.write("ready\n");
  const lines = createInterface({ input: process.stdin });
  await new Promise((go) => lines.once("line", go));
  lines.close();
  const won = [];
  let lost = 0;
  for (let i = 0; i < count; i++) {
    const current = await stores.pipelines.get(scope, "raced");
    const result = await stores.pipelines.update(
      scope,
      "raced",
      current.version,
      declaration("raced", `pid ${process.pid}`),
      Date.now(),
    );
    if (result.ok) won.push(result.record.version);
    else lost++;
  }
  await stores.close();
  process.stdout.write(`${JSON.stringify({ won, lost })}\n`);
} else if (mode === "numbers") {
  process.stdout.write("ready\n");
  const lines = createInterface({ input: process.stdin });
  await new Promise((go) => lines.once("line", go));
  lines.close();
  const taken = [];
  for (let i = 0; i < count; i++) taken.push(await stores.builds.nextBuildNumber(scope, "raced"));
  await stores.close();
  process.stdout.write(`${JSON.stringify(taken)}\n`);
} else if (mode === "builds") {
  for (let i = 1; i <= count; i++) {
    const id = `app:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    await stores.builds.putBuild({
      scope,
      document: { id, projectName: "app", startTime: i, buildComplete: i % 2 === 0 },
    });
    await stores.builds.appendLog(scope, id, [{ seq: 1, text: `build ${i}` }]);
    process.stdout.write(`wrote ${i}\n`);
  }
  setInterval(() => {}, 60_000);
} else {
  throw new Error(`store-child: unknown mode ${mode}`);
}
