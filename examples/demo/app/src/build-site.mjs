// Writes the site the servers serve: site/index.html (the page) and site/version.txt.
// Usage: node src/build-site.mjs COMMIT IMAGE_TAG
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { renderPage } from "./page.mjs";

const PAGE = "index.html";
const [commit = "unknown", tag = "local"] = process.argv.slice(2);
const version = readFileSync(new URL("../VERSION", import.meta.url), "utf8").trim();
mkdirSync("site", { recursive: true });
writeFileSync(`site/${PAGE}`, renderPage({ version, commit, tag }));
writeFileSync("site/version.txt", `${version}\n`);
console.log(`site/${PAGE}: demo-app ${version} (${commit}, ${tag})`);
