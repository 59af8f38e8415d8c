/**
 * `/static/*`: the files under `dashboard/static/` (styles, the islands bundle, the icon). The set
 * of servable files is listed once at start, and a request is answered only when its path is a key
 * of that list, so no request path is ever joined onto a directory.
 */
import type { Hono } from "hono";
import { join } from "node:path";
import type { Assets } from "../components/layout.tsx";

export const STATIC_DIR = join(import.meta.dirname!, "..", "static");

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

interface StaticFile {
  path: string;
  contentType: string;
  /** A short content hash, used as the `?v=` of versioned URLs. */
  version: string;
}

async function walk(directory: string, prefix: string, files: Map<string, string>): Promise<void> {
  for await (const entry of Deno.readDir(directory)) {
    // Hidden entries are temporary files (a bundle being built) or editor litter.
    if (entry.name.startsWith(".")) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory) await walk(path, `${prefix}${entry.name}/`, files);
    else if (entry.isFile) files.set(`${prefix}${entry.name}`, path);
  }
}

async function shortHash(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest.subarray(0, 6), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The servable static files, by URL path below `/static/`. */
export async function listStaticFiles(): Promise<Map<string, StaticFile>> {
  const paths = new Map<string, string>();
  await walk(STATIC_DIR, "", paths);
  const files = new Map<string, StaticFile>();
  for (const [name, path] of paths) {
    const extension = name.slice(name.lastIndexOf("."));
    const contentType = CONTENT_TYPES[extension];
    if (!contentType) continue;
    files.set(name, { path, contentType, version: await shortHash(await Deno.readFile(path)) });
  }
  return files;
}

/** Versioned URLs of the assets every page links. */
export function assetUrls(files: Map<string, StaticFile>): Assets {
  const url = (name: string) => {
    const file = files.get(name);
    return file ? `/static/${name}?v=${file.version}` : `/static/${name}`;
  };
  return {
    appCss: url("app.css"),
    uplotCss: url("islands/uplot.css"),
    clientJs: url("islands/client.js"),
    favicon: url("favicon.svg"),
  };
}

export function mountStaticFiles(app: Hono, files: Map<string, StaticFile>): void {
  app.get("/static/*", async (c) => {
    const name = c.req.path.slice("/static/".length);
    const file = files.get(name);
    if (!file) return c.notFound();
    const body = await Deno.readFile(file.path);
    const versioned = new URL(c.req.url).searchParams.get("v") === file.version;
    return c.body(body, 200, {
      "content-type": file.contentType,
      // A versioned URL names one content forever; anything else is checked again each time.
      "cache-control": versioned ? "public, max-age=31536000, immutable" : "no-cache",
    });
  });
}
