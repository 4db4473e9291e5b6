import { type Child, h, replace } from "./dom.js";

/** A view draws into `main` and returns how to stop (polls, streams) when the user leaves it. */
export type View = (main: HTMLElement, params: string[]) => () => void;

/**
 * Redraws `el` only when the data changed, keeping keyboard focus on the element with the same
 * `data-key` (a poll every second must not steal focus from the button the user is on).
 */
export function redraw(el: Element, key: string, build: () => Child[]): void {
  if (el.getAttribute("data-drawn") === key) return;
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
  replace(el, ...build());
  el.setAttribute("data-drawn", key);
  if (focused) el.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

/**
 * Calls `tick` now and then `ms` after each call ended (never overlapping); `now()` asks for the
 * next call at once (after a button's API call), `stop()` ends it.
 */
export function poll(
  ms: number,
  tick: (forced: boolean) => Promise<void>,
): { stop: () => void; now: () => void } {
  let stopped = false;
  let running = false;
  let again = false;
  let forced = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    running = true;
    const wasForced = forced;
    forced = false;
    try {
      await tick(wasForced);
    } finally {
      running = false;
      if (again) forced = true;
      if (!stopped) timer = setTimeout(run, again ? 0 : ms);
      again = false;
    }
  };
  void run();
  return {
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
    now: () => {
      if (stopped) return;
      forced = true;
      if (running) again = true;
      else void run();
    },
  };
}

export function errorBox(error: unknown): HTMLElement {
  return h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error));
}

export interface Field {
  name: string;
  label: string;
  kind: "text" | "textarea";
  required?: boolean;
  pattern?: string;
  hint?: string;
}

/**
 * A modal form (a native <dialog>: focus is trapped, Escape cancels). Resolves with the button
 * pressed and the fields' values, or undefined when cancelled.
 */
export function ask(
  title: string,
  fields: Field[],
  buttons: { value: string; label: string; danger?: boolean }[],
): Promise<{ button: string; values: Record<string, string> } | undefined> {
  return new Promise((done) => {
    const id = `d${Math.random().toString(36).slice(2)}`;
    const dialog = h("dialog", { "aria-labelledby": `${id}-t` });
    const form = h(
      "form",
      { method: "dialog" },
      h("h2", { id: `${id}-t` }, title),
      fields.map((f) => [
        h("label", { for: `${id}-${f.name}` }, f.label),
        f.kind === "textarea"
          ? h("textarea", { id: `${id}-${f.name}`, name: f.name, rows: 3, cols: 40, required: f.required })
          : h("input", {
              id: `${id}-${f.name}`,
              name: f.name,
              type: "text",
              required: f.required,
              pattern: f.pattern,
              size: 40,
            }),
        f.hint ? h("p", { class: "muted" }, f.hint) : null,
      ]),
      h(
        "div",
        { class: "buttons" },
        buttons.map((b) => h("button", { value: b.value, class: b.danger ? "danger" : undefined }, b.label)),
        h("button", { value: "cancel", class: "secondary", formnovalidate: true }, "Cancel"),
      ),
    );
    dialog.append(form);
    document.body.append(dialog);
    dialog.addEventListener("close", () => {
      const button = dialog.returnValue;
      const values: Record<string, string> = {};
      for (const f of fields) values[f.name] = (form.elements.namedItem(f.name) as HTMLInputElement).value;
      dialog.remove();
      done(button && button !== "cancel" ? { button, values } : undefined);
    });
    dialog.showModal();
  });
}

/** Runs an API action from a button: disables it meanwhile, shows a failure in `status`. */
export async function act(status: HTMLElement, what: string, run: () => Promise<unknown>): Promise<void> {
  replace(status, h("span", { class: "notice" }, `${what}…`));
  try {
    await run();
    replace(status, h("span", { class: "notice" }, `${what}: done`));
  } catch (error) {
    replace(status, errorBox(error));
  }
}

/** A data table: a hidden caption, column headers, one row per item (cells built by `row`). */
export function table<T>(
  caption: string,
  headers: string[],
  items: T[],
  row: (item: T) => Child[],
  rowAttrs: (item: T) => Record<string, string> = () => ({}),
): HTMLElement {
  return h(
    "table",
    {},
    h("caption", { class: "sr-only" }, caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        headers.map((t) => h("th", { scope: "col" }, t)),
      ),
    ),
    h(
      "tbody",
      {},
      items.map((item) =>
        h(
          "tr",
          rowAttrs(item),
          row(item).map((cell) => h("td", {}, cell)),
        ),
      ),
    ),
  );
}

/** A list of label/value pairs (a resource's properties). */
export function facts(pairs: [string, Child][]): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    pairs
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

/** Every page of a paged list call: `next` names the token member (nextToken, NextMarker...). */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
  max = 1000,
): Promise<T[]> {
  const found: T[] = [];
  let token: string | undefined;
  do {
    const got = await page(token);
    found.push(...got.items);
    token = got.next;
  } while (token && found.length < max);
  return found;
}
