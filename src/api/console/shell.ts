/**
 * The console's one HTML page: every deep link (/, /console/...) answers it and the script
 * (web/, compiled into dist/console) draws the page the path names. No inline script or style,
 * so the Content-Security-Policy can say 'self' only.
 */
/** Modules every page needs, preloaded so the browser fetches them in parallel, not as a chain. */
const CORE = ["main", "api", "dom", "ui", "live"];

/**
 * The view modules a path needs (main.ts imports views on demand, so a page loads only its own);
 * the same paths as main.ts's routes. An unknown path preloads none (its view still loads).
 */
const VIEWS: [RegExp, string[]][] = [
  [/^\/(?:console\/?)?$/u, ["overview"]],
  [/^\/console\/pipelines\/[^/]+\/[^/]+\/executions\/[^/]+\/actions\//u, ["details", "services"]],
  [/^\/console\/pipelines\/[^/]+\/[^/]+\/executions\//u, ["execution"]],
  [/^\/console\/pipelines\//u, ["pipeline"]],
  [/^\/console\/builds\//u, ["build"]],
  [/^\/console\/projects/u, ["projects", "build"]],
  [/^\/console\/repositories/u, ["repositories"]],
  [/^\/console\/images/u, ["images"]],
  [/^\/console\/services/u, ["services"]],
  [/^\/console\/functions/u, ["functions"]],
];

export interface ShellOptions {
  readonly version: string;
  readonly path: string;
  /** What `GET /_pipewright/console/session` answers, put in the page so it needs no round trip. */
  readonly session: unknown;
  /** Whether the page may read the API now (no login needed, or signed in): then data is preloaded too. */
  readonly signedIn: boolean;
}

export function shellHtml(o: ShellOptions): string {
  const views = VIEWS.find(([pattern]) => pattern.test(o.path))?.[1] ?? [];
  const preloads = [...CORE, ...views].map(
    (m) => `<link rel="modulepreload" href="/console/assets/${m}.js">`,
  );
  // The overview's one read starts with the page instead of after its scripts (docs/console.md).
  if (o.signedIn && VIEWS[0]![0].test(o.path))
    preloads.push('<link rel="preload" href="/_pipewright/console/overview" as="fetch" crossorigin>');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="pipewright-session" content="${escapeHtml(JSON.stringify(o.session))}">
<title>Pipewright</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
<script type="module" src="/console/assets/main.js"></script>
${preloads.join("\n")}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="/console/">Pipewright</a><nav aria-label="Main">${NAV.map(([href, label]) => `<a href="${href}" data-route="1">${label}</a>`).join(" ")}</nav><span class="who" id="who"></span></header>
<main id="main" tabindex="-1"><p>Loading…</p><noscript>The Pipewright console needs JavaScript; the API and the aws CLI work without it.</noscript></main>
<footer class="foot">Pipewright ${escapeHtml(o.version)}</footer>
</body>
</html>
`;
}

/** The main navigation: every kind of page. */
const NAV: [string, string][] = [
  ["/console/", "Pipelines"],
  ["/console/projects", "Builds"],
  ["/console/repositories", "Repositories"],
  ["/console/images", "Images"],
  ["/console/services", "Services"],
  ["/console/functions", "Functions"],
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);
}

/** Colours checked for WCAG AA (4.5:1 for text) against their backgrounds. */
export const CONSOLE_CSS = `
:root { --fg:#1b1f24; --muted:#4a5561; --bg:#f6f8fa; --card:#fff; --line:#c9d1d9; --accent:#0b5cad; --focus:#d35400; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position:absolute; left:-999px; top:0; background:#fff; padding:.5em; }
.skip:focus { left: .5em; }
.top { display:flex; gap:1em; align-items:center; padding:.6em 1em; background:#14171a; color:#fff; flex-wrap:wrap; }
.top a { color:#fff; text-decoration:none; margin-right:.8em; }
.top .brand { font-weight:700; font-size:1.1em; }
.top .who { margin-left:auto; font-size:.9em; }
.top .who button { margin-left:.5em; }
main { padding: 1em; max-width: 1400px; margin: 0 auto; }
.foot { color: var(--muted); font-size:.8em; padding: 1em; text-align:center; }
h1 { font-size:1.4em; margin:.2em 0 .6em; }
h2 { font-size:1.15em; margin:1.2em 0 .5em; }
.muted { color: var(--muted); }
.toolbar { display:flex; gap:.6em; flex-wrap:wrap; align-items:center; margin-bottom:.8em; }
input[type=search], input[type=text], input[type=password], textarea { font:inherit; padding:.4em .5em; border:1px solid #6e7781; border-radius:4px; background:#fff; color:var(--fg); }
input[type=search] { min-width: 16em; }
button { font:inherit; padding:.35em .8em; border-radius:4px; border:1px solid #0b5cad; background:#0b5cad; color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:#0b5cad; }
button.danger { background:#b3261e; border-color:#b3261e; }
button:disabled { background:#d0d7de; border-color:#d0d7de; color:#3b434b; cursor:not-allowed; }
table { border-collapse: collapse; width:100%; background:var(--card); }
#history, #actions, #builds, #projects, #reports, #build, .scroll { overflow-x: auto; }
table.overview { table-layout: fixed; }
table.overview th:nth-child(1) { width: 24%; } table.overview th:nth-child(4) { width: 28%; }
table.overview td { overflow-wrap: anywhere; }
dl.facts { display:grid; grid-template-columns: max-content 1fr; gap:.25em 1em; background:var(--card); border:1px solid var(--line); border-radius:6px; padding:.6em .8em; margin:0 0 .8em; }
dl.facts dt { font-weight:600; color:var(--muted); }
dl.facts dd { margin:0; overflow-wrap:anywhere; }
ul.events { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:.5em .5em .5em 1.8em; margin:0; }
ul.events li { margin:.2em 0; }
code { overflow-wrap:anywhere; }
td > code { white-space: nowrap; }
th, td { text-align:left; padding:.45em .6em; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.85em; color:var(--muted); }
.status { display:inline-block; padding:.05em .5em; border-radius:1em; font-size:.85em; font-weight:600; border:1px solid transparent; white-space:nowrap; }
.s-Succeeded { background:#dafbe1; color:#0f5323; }
.s-Failed, .s-Abandoned { background:#ffebe9; color:#8c1c13; }
.s-InProgress, .s-Stopping { background:#ddf4ff; color:#0a3069; }
.s-Stopped, .s-Superseded, .s-Cancelled { background:#eaeef2; color:#32383f; }
.s-Active, .s-Running { background:#dafbe1; color:#0f5323; }
.s-Pending, .s-Provisioning, .s-Activating, .s-Deactivating, .s-Draining { background:#ddf4ff; color:#0a3069; }
.s-Queued, .s-Waiting { background:#fff8c5; color:#4d2d00; }
.s-None { background:#fff; color:#4a5561; border-color:#c9d1d9; }
.stages { display:flex; gap:0; overflow-x:auto; align-items:stretch; padding-bottom:.5em; }
.stage { min-width: 15em; background:var(--card); border:1px solid var(--line); border-radius:6px; padding:.6em; }
.stage h3 { font-size:1em; margin:0 0 .4em; display:flex; gap:.5em; justify-content:space-between; align-items:center; }
.transition { display:flex; flex-direction:column; justify-content:center; align-items:center; padding:0 .4em; min-width:5.5em; gap:.3em; font-size:.8em; text-align:center; }
.transition.disabled { color:#8c1c13; font-weight:600; }
.action { border:1px solid var(--line); border-radius:4px; padding:.45em; margin:.4em 0; background:#fbfcfd; }
.action .name { font-weight:600; }
.action .meta { font-size:.85em; color:var(--muted); }
.buttons { display:flex; gap:.4em; flex-wrap:wrap; margin-top:.4em; }
pre.log { background:#14171a; color:#e6edf3; padding:.8em; overflow:auto; max-height:60vh; font-size:.85em; white-space:pre-wrap; word-break:break-word; }
.error { background:#ffebe9; color:#8c1c13; border:1px solid #ff8182; padding:.5em .8em; border-radius:4px; }
.notice { background:#ddf4ff; color:#0a3069; padding:.5em .8em; border-radius:4px; }
dialog { border:1px solid var(--line); border-radius:6px; max-width: 32em; width: 92vw; }
dialog::backdrop { background: rgba(0,0,0,.4); }
label { display:block; margin:.4em 0 .2em; font-weight:600; }
form.login { max-width: 24em; background:var(--card); padding:1em; border:1px solid var(--line); border-radius:6px; }
form.login input { width:100%; }
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
@media (max-width: 700px) {
  .stages { flex-direction:column; }
  .transition { flex-direction:row; padding:.3em 0; min-width:0; }
  .stage { min-width:0; }
  table.overview thead { display:none; }
  table.overview tr { display:block; border-bottom:1px solid var(--line); padding:.4em 0; }
  table.overview td { display:block; border:0; padding:.15em .6em; }
  input[type=search] { min-width: 0; width:100%; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom:.3em; }
}
`;
