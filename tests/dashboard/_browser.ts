/**
 * Chromium for the browser tests, through puppeteer-core. CI installs Debian's `chromium`; there a
 * missing browser fails the tests, elsewhere they are skipped with a message saying why.
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const IN_CI = Deno.env.get("CI") === "true";

function chromiumInstalled(): boolean {
  try {
    return Deno.statSync(CHROMIUM_PATH).isFile;
  } catch {
    return false;
  }
}

export const BROWSER_AVAILABLE = chromiumInstalled();

/** Whether browser tests should be ignored here (never in CI, where they must run). */
export const SKIP_BROWSER_TESTS = !BROWSER_AVAILABLE && !IN_CI;
if (SKIP_BROWSER_TESTS) {
  console.warn(
    `browser tests skipped: ${CHROMIUM_PATH} is missing (apt-get install -y chromium); ` +
      "with CI=true they fail instead",
  );
}

export interface BrowserSession {
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far (CSP violations show up here). */
  errors: string[];
  close(): Promise<void>;
}

/** Starts a headless Chromium with a fresh profile and opens one page. */
export async function openBrowser(): Promise<BrowserSession> {
  if (!BROWSER_AVAILABLE) {
    throw new Error(`${CHROMIUM_PATH} is missing: CI installs it with apt-get install chromium`);
  }
  const userDataDir = await Deno.makeTempDir({ prefix: "dpd-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${userDataDir}`,
    ],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return {
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
    },
  };
}

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = new URL("../artifacts/", import.meta.url).pathname;
