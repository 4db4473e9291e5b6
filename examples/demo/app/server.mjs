// The server of a host-process task (no container engine): serves site/ on $PORT, as the
// image's busybox httpd does in a container. GET / is the page; a missing file is a 404.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join, normalize } from "node:path";

const root = join(process.cwd(), "site");
const types = { ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8" };
const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
  const file = join(root, path.endsWith("/") ? `${path}index.html` : path);
  try {
    if (!file.startsWith(root)) throw new Error("outside the site");
    const body = await readFile(file);
    response.writeHead(200, { "content-type": types[file.slice(file.lastIndexOf("."))] ?? "text/plain" });
    response.end(body);
  } catch {
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("404 Not Found\n");
  }
});
server.listen(Number(process.env.PORT ?? 8080), "127.0.0.1");
process.once("SIGTERM", () => server.close(() => process.exit(0)));
