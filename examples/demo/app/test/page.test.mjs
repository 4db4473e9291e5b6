import assert from "node:assert/strict";
import { test } from "node:test";
import { renderPage } from "../src/page.mjs";

test("the page names its version, commit and image tag", () => {
  const page = renderPage({ version: "v1", commit: "abc1234", tag: "20261203-abc1234" });
  assert.match(page, /Hello from demo-app v1/);
  assert.match(page, /abc1234/);
  assert.match(page, /20261203-abc1234/);
});

test("the page escapes what it is given", () => {
  assert.doesNotMatch(renderPage({ version: "v2", commit: "<b>", tag: "t" }), /<b>/);
});

test("a version that is not vN is refused", () => {
  assert.throws(() => renderPage({ version: "1.0", commit: "c", tag: "t" }), /VERSION must look like v1/);
});
