// The application's one page: it says which version runs, so a rollout can be watched.
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page for a release: its version, the commit it was built from and the image tag. */
export function renderPage({ version, commit, tag }) {
  if (!/^v\d+$/.test(version)) throw new Error(`VERSION must look like v1, v2, ...; got '${version}'`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>demo-app ${escapeHtml(version)}</title></head>
<body>
<h1>Hello from demo-app ${escapeHtml(version)}</h1>
<p>commit <code>${escapeHtml(commit)}</code>, image tag <code>${escapeHtml(tag)}</code></p>
</body>
</html>
`;
}
