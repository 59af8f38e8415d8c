/**
 * The browser entry (bundled by `deno task bundle` into `static/islands/client.js`): hydrates
 * every server-rendered island with the props the server serialised next to it.
 */
/// <reference lib="dom" />
import { h, hydrate } from "preact";
import { type IslandName, ISLANDS } from "./islands/mod.ts";

for (const element of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const name = element.dataset.island as IslandName;
  const component = ISLANDS[name];
  if (!component) {
    console.warn(`dpd: no island called ${name}`);
    continue;
  }
  try {
    const props = JSON.parse(element.dataset.props ?? "{}");
    // deno-lint-ignore no-explicit-any
    hydrate(h(component as any, props), element);
  } catch (error) {
    console.error(`dpd: island ${name} failed to start`, error);
  }
}
document.documentElement.classList.add("hydrated");
