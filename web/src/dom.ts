/** Tiny DOM helpers: every text goes in as a text node (never innerHTML), so names cannot inject markup. */
export type Child = Node | string | number | false | null | undefined | Child[];

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | number | ((event: Event) => void) | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/u, ""), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(el, child);
    else if (child === false || child === null || child === undefined) continue;
    else el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

export function statusBadge(status: string | undefined): HTMLElement {
  const s = status ?? "None";
  return h("span", { class: `status s-${s.replace(/[^A-Za-z]/gu, "")}` }, status ?? "Never run");
}

/** Seconds (AWS JSON timestamps) to "3 min ago". */
export function age(epochSeconds: number | undefined, nowMs = Date.now()): string {
  if (epochSeconds === undefined) return "";
  return `${span(nowMs / 1000 - epochSeconds)} ago`;
}

export function duration(from: number | undefined, to: number | undefined): string {
  if (from === undefined) return "";
  return span((to ?? Date.now() / 1000) - from);
}

function span(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function shortId(id: string | undefined): string {
  return id ? id.slice(0, 8) : "";
}

export function link(path: string, ...children: Child[]): HTMLAnchorElement {
  return h("a", { href: path, "data-route": "1" }, ...children);
}

/** Bytes as "12.3 MB". */
export function bytes(n: number | undefined): string {
  if (n === undefined) return "";
  const units = ["B", "KB", "MB", "GB"];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** A timestamp in ISO form (Lambda's LastModified, `2026-12-03T12:00:00.000+0000`) as epoch seconds. */
export function isoSeconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/u, "$1:$2"));
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** The first line of a commit message or summary, at most 80 characters. */
export function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
