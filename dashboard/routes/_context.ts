/**
 * What every route gets: the workspace, the re-run controller, asset URLs; and how a page becomes
 * a response.
 */
import type { Context } from "hono";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Assets } from "../components/layout.tsx";
import type { RerunController } from "../lib/rerun_job.ts";
import type { Workspace } from "../lib/workspace.ts";

export interface DashboardContext {
  workspace: Workspace;
  rerun: RerunController;
  assets: Assets;
  version: string;
}

/** Renders a page (a `<html>` tree) to a complete HTML response. */
export function renderPage(c: Context, page: VNode, status: 200 | 400 | 404 | 409 | 500 = 200) {
  return c.html(`<!DOCTYPE html>${renderToString(page)}`, status);
}

/** Whether the client asked for JSON (the islands' `fetch`) rather than a page (a form post). */
export function wantsJson(c: Context): boolean {
  return (c.req.header("accept") ?? "").includes("application/json");
}
