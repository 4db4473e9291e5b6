import { call, type Json, regions } from "./api.js";
import { age, bytes, h, link, replace } from "./dom.js";
import { allPages, errorBox, facts, poll, redraw, table, type View } from "./ui.js";

/** ECR repositories of every region (DescribeRepositories). */
export const imagesView: View = (main) => {
  document.title = "Images · Pipewright";
  const body = h("div", { id: "image-repositories", class: "scroll" }, h("p", {}, "Loading…"));
  replace(main, h("h1", {}, "Image repositories"), body);
  const ticker = poll(5000, async () => {
    try {
      const rows: { region: string; repo: Json }[] = [];
      for (const region of await regions()) {
        const repos = await allPages(async (nextToken) => {
          const page = await call("ecr", "DescribeRepositories", region, nextToken ? { nextToken } : {});
          return { items: page.repositories ?? [], next: page.nextToken };
        });
        for (const repo of repos) rows.push({ region, repo });
      }
      redraw(body, JSON.stringify([rows, Math.floor(Date.now() / 10_000)]), () => [
        rows.length === 0
          ? h("p", {}, "No image repositories yet: create one with `aws ecr create-repository`.")
          : table(
              "Image repositories",
              ["Repository", "Region", "URI", "Tags", "Created"],
              rows,
              ({ region, repo }) => [
                link(
                  `/console/images/${region}/${encodeURIComponent(repo.repositoryName)}`,
                  repo.repositoryName,
                ),
                region,
                h("code", {}, repo.repositoryUri ?? ""),
                repo.imageTagMutability === "IMMUTABLE" ? "immutable" : "mutable",
                age(repo.createdAt),
              ],
              ({ region, repo }) => ({ "data-image-repository": `${region}/${repo.repositoryName}` }),
            ),
      ]);
    } catch (error) {
      replace(body, errorBox(error));
    }
  });
  return ticker.stop;
};

/** One ECR repository's images, newest push first (DescribeImages): tags, digest, size, push time. */
export const imageView: View = (main, [region = "", encodedName = ""]) => {
  const name = decodeURIComponent(encodedName);
  document.title = `${name} · Images · Pipewright`;
  const about = h("div", {}, h("p", {}, "Loading…"));
  const body = h("div", { id: "images", class: "scroll" });
  replace(
    main,
    h("p", {}, link("/console/images", "Image repositories"), ` / ${region}`),
    h("h1", {}, name),
    about,
    h("h2", {}, "Images"),
    body,
  );
  const ticker = poll(5000, async () => {
    try {
      const repo = (await call("ecr", "DescribeRepositories", region, { repositoryNames: [name] }))
        .repositories?.[0];
      const images: Json[] = await allPages(async (nextToken) => {
        const page = await call("ecr", "DescribeImages", region, {
          repositoryName: name,
          ...(nextToken ? { nextToken } : {}),
        });
        return { items: page.imageDetails ?? [], next: page.nextToken };
      });
      images.sort((a, b) => (b.imagePushedAt ?? 0) - (a.imagePushedAt ?? 0));
      redraw(about, JSON.stringify(repo), () => [
        facts([
          ["URI", h("code", {}, repo?.repositoryUri ?? "")],
          ["Pull", h("code", {}, `docker pull ${repo?.repositoryUri ?? name}:<tag>`)],
          ["Tag mutability", repo?.imageTagMutability ?? ""],
          ["Created", age(repo?.createdAt)],
        ]),
      ]);
      redraw(body, JSON.stringify([images, Math.floor(Date.now() / 10_000)]), () => [
        images.length === 0
          ? h("p", {}, "No images yet: push one with `docker push` (see docs/registry.md).")
          : table(
              "Images, newest push first",
              ["Tags", "Digest", "Size", "Pushed"],
              images,
              (i) => [
                (i.imageTags ?? []).length
                  ? (i.imageTags as string[]).join(", ")
                  : h("span", { class: "muted" }, "untagged"),
                h("code", { title: i.imageDigest }, shortDigest(i.imageDigest)),
                bytes(i.imageSizeInBytes),
                age(i.imagePushedAt),
              ],
              (i) => ({ "data-image": i.imageDigest }),
            ),
      ]);
    } catch (error) {
      replace(about, errorBox(error));
    }
  });
  return ticker.stop;
};

/** `sha256:0123456789ab…`: the algorithm and the first 12 hex digits. */
function shortDigest(digest: string | undefined): string {
  if (!digest) return "";
  const [alg, hex = ""] = digest.split(":");
  return `${alg}:${hex.slice(0, 12)}`;
}
