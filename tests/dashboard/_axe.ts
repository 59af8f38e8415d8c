/**
 * axe-core (the accessibility engine browsers' dev tools use) run inside a page under test. Its
 * source is evaluated through the DevTools protocol, which the page's CSP does not govern, so the
 * page is tested exactly as served.
 */
import axe from "axe-core";
import type { Page } from "puppeteer-core";

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements (the first few). */
  targets: string[];
}

/** Every axe rule's violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  return await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const run = (globalThis as any).axe.run as typeof axe.run;
    const results = await run(document, { resultTypes: ["violations"] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? "unknown",
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
  });
}
