import { call, type Json, regions } from "./api.js";
import { age, firstLine, h, link, replace, shortId } from "./dom.js";
import { allPages, errorBox, facts, poll, redraw, table, type View } from "./ui.js";

/** Commits shown on a repository page (walked from the branch's head through first parents). */
const RECENT = 15;

/** Hosted CodeCommit repositories of every region (ListRepositories + GetRepository). */
export const repositoriesView: View = (main) => {
  document.title = "Repositories · Pipewright";
  const body = h("div", { id: "repositories", class: "scroll" }, h("p", {}, "Loading…"));
  replace(main, h("h1", {}, "Repositories"), body);
  const ticker = poll(5000, async () => {
    try {
      const rows: { region: string; repo: Json }[] = [];
      for (const region of await regions()) {
        const names = await allPages(async (nextToken) => {
          const page = await call("codecommit", "ListRepositories", region, nextToken ? { nextToken } : {});
          return { items: page.repositories ?? [], next: page.nextToken };
        });
        const repos = await Promise.all(
          names.map(
            async (r: Json) =>
              (await call("codecommit", "GetRepository", region, { repositoryName: r.repositoryName }))
                .repositoryMetadata,
          ),
        );
        for (const repo of repos) rows.push({ region, repo });
      }
      redraw(body, JSON.stringify([rows, Math.floor(Date.now() / 10_000)]), () => [
        rows.length === 0
          ? h("p", {}, "No hosted repositories yet: create one with `aws codecommit create-repository`.")
          : table(
              "Hosted repositories",
              ["Repository", "Region", "Default branch", "Description", "Last changed"],
              rows,
              ({ region, repo }) => [
                link(
                  `/console/repositories/${region}/${encodeURIComponent(repo.repositoryName)}`,
                  repo.repositoryName,
                ),
                region,
                repo.defaultBranch ?? "",
                repo.repositoryDescription ?? "",
                age(repo.lastModifiedDate),
              ],
              ({ region, repo }) => ({ "data-repository": `${region}/${repo.repositoryName}` }),
            ),
      ]);
    } catch (error) {
      replace(body, errorBox(error));
    }
  });
  return ticker.stop;
};

/** A repository: clone URL, its branches with their head commits, and recent commits of one branch. */
export const repositoryView: View = (main, [region = "", encodedName = ""]) => {
  const name = decodeURIComponent(encodedName);
  document.title = `${name} · Repositories · Pipewright`;
  const about = h("div", {}, h("p", {}, "Loading…"));
  const branches = h("div", { id: "branches", class: "scroll" });
  const commits = h("div", { id: "commits", class: "scroll" });
  const commitsTitle = h("h2", { id: "commits-title" }, "Recent commits");
  replace(
    main,
    h("p", {}, link("/console/repositories", "Repositories"), ` / ${region}`),
    h("h1", {}, name),
    about,
    h("h2", {}, "Branches"),
    branches,
    commitsTitle,
    commits,
  );
  const cache = new Map<string, Json>();
  const commit = async (id: string): Promise<Json> => {
    let c = cache.get(id);
    if (!c) {
      c = (await call("codecommit", "GetCommit", region, { repositoryName: name, commitId: id })).commit;
      cache.set(id, c);
    }
    return c;
  };
  const ticker = poll(5000, async () => {
    try {
      const repo = (await call("codecommit", "GetRepository", region, { repositoryName: name }))
        .repositoryMetadata;
      const names: string[] = await allPages(async (nextToken) => {
        const page = await call("codecommit", "ListBranches", region, {
          repositoryName: name,
          ...(nextToken ? { nextToken } : {}),
        });
        return { items: page.branches ?? [], next: page.nextToken };
      });
      const heads = await Promise.all(
        names.sort().map(async (branchName) => {
          const b = (await call("codecommit", "GetBranch", region, { repositoryName: name, branchName }))
            .branch;
          return { branchName, commit: await commit(b.commitId) };
        }),
      );
      const chosen = new URLSearchParams(location.search).get("branch") ?? repo.defaultBranch ?? names[0];
      const head = heads.find((b) => b.branchName === chosen);
      const recent: Json[] = [];
      for (let id: string | undefined = head?.commit.commitId; id && recent.length < RECENT; ) {
        const c = await commit(id);
        recent.push(c);
        id = c.parents?.[0];
      }
      const tick = Math.floor(Date.now() / 10_000);
      redraw(about, JSON.stringify(repo), () => [
        facts([
          ["Clone URL (HTTP)", h("code", {}, repo.cloneUrlHttp ?? "")],
          ["Default branch", repo.defaultBranch ?? "(none yet: push a branch)"],
          ["Description", repo.repositoryDescription ?? ""],
          ["Created", age(repo.creationDate)],
        ]),
      ]);
      redraw(branches, JSON.stringify([heads, tick]), () => [
        heads.length === 0
          ? h("p", {}, "No branches yet: push one with git.")
          : table(
              "Branches with their latest commit",
              ["Branch", "Commit", "Message", "Author", "Age"],
              heads,
              (b) => [
                link(
                  `/console/repositories/${region}/${encodeURIComponent(name)}?branch=${encodeURIComponent(b.branchName)}`,
                  b.branchName,
                ),
                h("code", {}, shortId(b.commit.commitId)),
                firstLine(b.commit.message ?? ""),
                b.commit.author?.name ?? "",
                age(gitSeconds(b.commit.author?.date)),
              ],
              (b) => ({ "data-branch": b.branchName }),
            ),
      ]);
      commitsTitle.textContent = head ? `Recent commits on ${head.branchName}` : "Recent commits";
      redraw(commits, JSON.stringify([recent.map((c) => c.commitId), tick]), () => [
        recent.length === 0
          ? h("p", {}, "No commits yet.")
          : table(
              `Recent commits on ${head?.branchName ?? ""}, newest first`,
              ["Commit", "Message", "Author", "Age"],
              recent,
              (c) => [
                h("code", {}, shortId(c.commitId)),
                firstLine(c.message ?? ""),
                c.author?.name ?? "",
                age(gitSeconds(c.author?.date)),
              ],
              (c) => ({ "data-commit": c.commitId }),
            ),
      ]);
    } catch (error) {
      replace(about, errorBox(error));
    }
  });
  return ticker.stop;
};

/** CodeCommit's UserInfo date, `1484167798 -0800`, as epoch seconds. */
function gitSeconds(date: string | undefined): number | undefined {
  const n = Number.parseInt(date ?? "", 10);
  return Number.isNaN(n) ? undefined : n;
}
