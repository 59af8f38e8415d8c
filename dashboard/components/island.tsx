/**
 * Server side of an island: renders the component to HTML inside a marker element that carries
 * the island's name and its props as JSON, which `client.ts` reads back to hydrate it. Props travel
 * in an attribute (escaped by the renderer), so no inline script is needed and the CSP can forbid
 * them.
 */
import type { ComponentProps } from "preact";
import { type IslandName, ISLANDS } from "../islands/mod.ts";

export function Island<Name extends IslandName>(
  { name, props, class: className }: {
    name: Name;
    props: ComponentProps<typeof ISLANDS[Name]>;
    class?: string;
  },
) {
  // deno-lint-ignore no-explicit-any
  const Component = ISLANDS[name] as any;
  return (
    <div data-island={name} data-props={JSON.stringify(props)} class={className}>
      <Component {...props} />
    </div>
  );
}
