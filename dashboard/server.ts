/**
 * The dashboard server (dashboard/README.md): a hono app rendering Preact pages on the server, islands
 * hydrated in the browser from the prebuilt bundle, data read from disk on every request.
 *
 * {@linkcode createApp} builds the app (tests call it with `app.request`); {@linkcode serveDashboard}
 * starts it with `Deno.serve` on 127.0.0.1 by default (port 0 picks a free port) and returns the
 * running server, so `run-dashboard`, `pipeline --dashboard` and tests can start it in process.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { renderToString } from "preact-render-to-string";
import denoConfig from "../deno.json" with { type: "json" };
import { UserError } from "../src/io/errors.ts";
import { prepareWorkspace } from "../src/io/publish.ts";
import { ensureBundle } from "./bundle.ts";
import { RerunController, type RerunSteps } from "./lib/rerun_job.ts";
import { PIPELINE_RERUN_STEPS } from "./lib/rerun_steps.ts";
import { resolveWorkspace } from "./lib/workspace.ts";
import { mountAnomalies } from "./routes/anomalies.tsx";
import { mountExplorer } from "./routes/explorer.tsx";
import { mountFiles } from "./routes/files.ts";
import { mountRerun } from "./routes/rerun.ts";
import { mountReview } from "./routes/review.tsx";
import { assetUrls, listStaticFiles, mountStaticFiles } from "./routes/static_files.ts";
import type { DashboardContext } from "./routes/_context.ts";
import { ErrorContent, ErrorPage } from "./components/error_page.tsx";
import { Layout } from "./components/layout.tsx";
import { loadOverview } from "./lib/overview.ts";
import {
  isLoopback,
  loopbackHostOnly,
  sameOriginWrites,
  securityHeaders,
} from "./routes/_middleware.ts";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8000;
/** Largest request body accepted (the review forms post a few kilobytes). */
export const MAX_FORM_BYTES = 1 << 20;

export interface DashboardOptions {
  /** The workspace (`--data-dir`), default `data`. */
  dataDir?: string;
  /** `--lookups-dir`, default `lookups`. */
  lookupsDir?: string;
  /** Address to bind, default 127.0.0.1. */
  host?: string;
  /** Port, default 8000; 0 picks a free one. */
  port?: number;
  /** The stages a re-run calls; the real ones by default. */
  rerunSteps?: RerunSteps;
  /**
   * Accept only loopback Host headers (DNS-rebinding guard). Default: on when `host` is a loopback
   * address.
   */
  loopbackOnly?: boolean;
  /** Rebuild the island bundle when its sources changed (under `deno run`). Default true. */
  rebuildBundle?: boolean;
  /** Lines for people (startup, bundle rebuilds); silent by default. */
  log?: (line: string) => void;
}

export interface DashboardApp {
  app: Hono;
  context: DashboardContext;
}

/** Builds the dashboard's hono app. */
export async function createApp(options: DashboardOptions = {}): Promise<DashboardApp> {
  const log = options.log ?? (() => {});
  // A publish interrupted before the dashboard started is completed before it shows anything.
  await prepareWorkspace(options.dataDir ?? "data");
  if (options.rebuildBundle ?? true) await ensureBundle(log);
  const staticFiles = await listStaticFiles();
  const context: DashboardContext = {
    workspace: resolveWorkspace({
      dataDir: options.dataDir ?? "data",
      lookupsDir: options.lookupsDir ?? "lookups",
    }),
    rerun: new RerunController(options.rerunSteps ?? PIPELINE_RERUN_STEPS),
    assets: assetUrls(staticFiles),
    version: denoConfig.version,
  };
  context.workspace.rerunStatus = () => context.rerun.snapshot;
  const app = new Hono();
  app.use(securityHeaders());
  if (options.loopbackOnly ?? isLoopback(options.host ?? DEFAULT_HOST)) {
    app.use(loopbackHostOnly());
  }
  app.use(sameOriginWrites());
  // Forms here are a few kilobytes; refuse anything that would make the server buffer much more.
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", bodyLimit({ maxSize: MAX_FORM_BYTES }));

  app.get("/", (c) => c.redirect("/explorer", 302));
  mountExplorer(app, context);
  mountAnomalies(app, context);
  mountReview(app, context);
  mountRerun(app, context);
  mountFiles(app, context);
  mountStaticFiles(app, staticFiles);

  // The header is on every page (dashboard/README.md), error pages included, when it can be drawn.
  const errorPage = async (status: 404 | 500, title: string, detail: string) => {
    const content = { status, title, detail };
    try {
      const overview = await loadOverview(context.workspace);
      return `<!DOCTYPE html>${
        renderToString(Layout({
          title,
          overview,
          assets: context.assets,
          version: context.version,
          children: ErrorContent(content),
        }))
      }`;
    } catch {
      return `<!DOCTYPE html>${renderToString(ErrorPage({ ...content, assets: context.assets }))}`;
    }
  };
  app.notFound(async (c) =>
    c.html(await errorPage(404, "Not found", "There is no page at this address."), 404)
  );
  app.onError(async (error, c) => {
    // Middleware refusals (a body over the limit) carry their own status.
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof UserError) {
      return c.html(await errorPage(500, "Something needs fixing", error.message), 500);
    }
    log(`dashboard: error on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.html(
      await errorPage(
        500,
        "Internal error",
        "The dashboard hit a bug; the server log has the details.",
      ),
      500,
    );
  });
  return { app, context };
}

/** A running dashboard. */
export interface DashboardServer extends DashboardApp {
  /** Like `http://127.0.0.1:8000/`. */
  url: string;
  hostname: string;
  port: number;
  server: Deno.HttpServer<Deno.NetAddr>;
  /** Stops accepting requests, waits for a re-run in progress, and resolves when closed. */
  shutdown(): Promise<void>;
}

/** Why the dashboard cannot listen on `hostname:port`, for people; other errors unchanged. */
function listenUserError(error: unknown, hostname: string, port: number): unknown {
  if (error instanceof Deno.errors.AddrInUse) {
    return new UserError(
      `port ${port} on ${hostname} is in use: stop the other server or pass --port (0 picks a free one)`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new UserError(`cannot bind ${hostname}: no such address on this machine`, {
      cause: error,
    });
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new UserError(
      `cannot listen on port ${port}: permission denied (ports below 1024 need root); ` +
        `pass --port 8000 or another free port`,
      { cause: error },
    );
  }
  if (error instanceof Error && /lookup address|invalid (ip|socket) address/i.test(error.message)) {
    return new UserError(
      `--host ${hostname} is not an address of this machine (${error.message}); ` +
        `use 127.0.0.1 (the default) or an IP address of this machine`,
      { cause: error },
    );
  }
  return error;
}

/**
 * Throws the {@linkcode UserError} {@linkcode serveDashboard} would throw for `hostname:port`, by
 * listening and closing at once: `pipeline --dashboard` checks before hours of work, not after.
 */
export function checkCanListen(hostname: string, port: number): void {
  try {
    Deno.listen({ hostname, port }).close();
  } catch (error) {
    throw listenUserError(error, hostname, port);
  }
}

/** Starts the dashboard. A port in use or a bad host is a {@linkcode UserError}. */
export async function serveDashboard(options: DashboardOptions = {}): Promise<DashboardServer> {
  const hostname = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const { app, context } = await createApp({ ...options, host: hostname });
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname, port, onListen: () => {} }, app.fetch);
  } catch (error) {
    throw listenUserError(error, hostname, port);
  }
  const address = server.addr;
  const urlHost = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return {
    app,
    context,
    url: `http://${urlHost}:${address.port}/`,
    hostname: address.hostname,
    port: address.port,
    server,
    async shutdown() {
      await server.shutdown();
      await context.rerun.settled();
    },
  };
}
