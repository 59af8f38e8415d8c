/**
 * The islands' browser bundle: `client.ts` and everything it imports, bundled by `deno bundle`
 * (JSX compiled with `react-jsx` — precompiled JSX does not hydrate) into `static/islands/`,
 * with uPlot's stylesheet beside it and a manifest naming the hash of the sources it was built
 * from.
 *
 * The bundle is committed, so a fresh clone and the compiled binary (which has no `deno` CLI)
 * serve it as is. Under `deno run` the server rebuilds it when the sources' hash differs from the
 * manifest's ({@linkcode ensureBundle}); `deno task bundle` rebuilds it by hand.
 *
 * Run as `deno run -A dashboard/bundle.ts [--check]`: builds, or with `--check` exits 1 when the
 * committed bundle is stale.
 */
import { join, relative } from "node:path";

const DASHBOARD_DIR = import.meta.dirname!;
const PROJECT_DIR = join(DASHBOARD_DIR, "..");
export const BUNDLE_DIR = join(DASHBOARD_DIR, "static", "islands");
export const MANIFEST_PATH = join(BUNDLE_DIR, "manifest.json");
const ENTRY = join(DASHBOARD_DIR, "client.ts");
/** What the bundle is built from: the entry, the islands and the browser-safe shared modules. */
const SOURCE_ROOTS = [ENTRY, join(DASHBOARD_DIR, "islands"), join(DASHBOARD_DIR, "shared")];
const UPLOT_CSS = join(PROJECT_DIR, "node_modules", "uplot", "dist", "uPlot.min.css");

export interface BundleManifest {
  /** sha256 of the sources (paths and contents) the bundle was built from. */
  sourceHash: string;
  files: string[];
}

async function sourceFiles(root: string): Promise<string[]> {
  const info = await Deno.stat(root);
  if (info.isFile) return [root];
  const files: string[] = [];
  for await (const entry of Deno.readDir(root)) {
    const path = join(root, entry.name);
    if (entry.isDirectory) files.push(...await sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(entry.name)) files.push(path);
  }
  return files;
}

/** The hash of the bundle's sources: changes whenever a file is added, removed or edited. */
export async function bundleSourceHash(): Promise<string> {
  const files = (await Promise.all(SOURCE_ROOTS.map(sourceFiles))).flat().sort();
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const file of files) {
    parts.push(encoder.encode(`${relative(DASHBOARD_DIR, file).replaceAll("\\", "/")}\0`));
    // Line endings normalised so a Windows checkout hashes like a Linux one.
    parts.push(encoder.encode((await Deno.readTextFile(file)).replaceAll("\r\n", "\n")));
    parts.push(new Uint8Array([0]));
  }
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The manifest of the bundle on disk, or undefined when there is none. */
export async function readManifest(): Promise<BundleManifest | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(MANIFEST_PATH)) as BundleManifest;
  } catch {
    return undefined;
  }
}

/** Whether the bundle on disk was built from the current sources. */
export async function bundleIsCurrent(): Promise<boolean> {
  const manifest = await readManifest();
  return manifest !== undefined && manifest.sourceHash === await bundleSourceHash();
}

/**
 * Builds the bundle into a temporary directory beside the final one, then renames each file into
 * place, so a server reading the bundle never sees half a file.
 */
export async function buildBundle(): Promise<BundleManifest> {
  const sourceHash = await bundleSourceHash();
  await Deno.mkdir(BUNDLE_DIR, { recursive: true });
  const staging = await Deno.makeTempDir({ dir: BUNDLE_DIR, prefix: ".dpd-tmp-bundle-" });
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--platform",
        "browser",
        "--format",
        "esm",
        "--minify",
        "--output",
        join(staging, "client.js"),
        ENTRY,
      ],
      cwd: PROJECT_DIR,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`deno bundle failed:\n${new TextDecoder().decode(output.stderr)}`);
    }
    await Deno.copyFile(UPLOT_CSS, join(staging, "uplot.css"));
    const manifest: BundleManifest = { sourceHash, files: ["client.js", "uplot.css"] };
    await Deno.writeTextFile(
      join(staging, "manifest.json"),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    // The manifest last: a crash midway leaves a stale manifest, hence a rebuild next time.
    for (const file of [...manifest.files, "manifest.json"]) {
      await Deno.rename(join(staging, file), join(BUNDLE_DIR, file));
    }
    return manifest;
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}

/**
 * Makes sure a bundle matching the sources is on disk: nothing to do in a compiled binary (it
 * serves the bundle it embeds) or when the manifest matches; otherwise rebuilds. When the rebuild
 * fails and an older bundle exists, that one is served and `log` says so.
 */
export async function ensureBundle(log: (line: string) => void): Promise<void> {
  if (Deno.build.standalone) return;
  if (await bundleIsCurrent()) return;
  log("dashboard: island sources changed, rebuilding the browser bundle…");
  try {
    await buildBundle();
  } catch (error) {
    if (await readManifest() === undefined) throw error;
    log(
      `dashboard: could not rebuild the bundle (${
        error instanceof Error ? error.message.split("\n")[0] : error
      }); serving the previous one`,
    );
  }
}

if (import.meta.main) {
  if (Deno.args.includes("--check")) {
    if (await bundleIsCurrent()) {
      console.error("dashboard bundle is up to date");
    } else {
      console.error(
        "dashboard bundle is stale: run `deno task bundle` and commit dashboard/static/islands/",
      );
      Deno.exit(1);
    }
  } else {
    const started = performance.now();
    const manifest = await buildBundle();
    const size = (await Deno.stat(join(BUNDLE_DIR, "client.js"))).size;
    console.error(
      `dashboard bundle built in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${relative(Deno.cwd(), BUNDLE_DIR)}/client.js (${(size / 1024).toFixed(0)} KiB), ` +
        `sources ${manifest.sourceHash.slice(0, 12)}`,
    );
  }
}
