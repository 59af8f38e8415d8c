/**
 * `/files/:dir/:name`: downloads of the workspace's outputs (aggregations, clean parquet, rejected
 * rows, reports). Only files that the directory listing returns are served, and only when their
 * real path lies inside the data directory ({@linkcode resolveDownload}); everything else is 404.
 */
import type { Hono } from "hono";
import { resolveDownload } from "../lib/workspace.ts";
import type { DashboardContext } from "./_context.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".parquet": "application/vnd.apache.parquet",
  ".csv": "text/csv; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

export function mountFiles(app: Hono, context: DashboardContext): void {
  app.get("/files/:dir/:name", async (c) => {
    const file = await resolveDownload(context.workspace, c.req.param("dir"), c.req.param("name"));
    const extension = file?.fileName.slice(file.fileName.lastIndexOf(".")) ?? "";
    const contentType = CONTENT_TYPES[extension];
    if (!file || !contentType) return c.text("Not found\n", 404);
    const handle = await Deno.open(file.path, { read: true });
    const { size } = await handle.stat();
    return c.body(handle.readable, 200, {
      "content-type": contentType,
      "content-length": String(size),
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "cache-control": "no-store",
    });
  });
}
