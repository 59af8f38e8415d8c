/**
 * The dashboard's safety rules (dashboard/README.md), applied to every request before any route:
 *
 * - security headers and a strict Content-Security-Policy: scripts and styles only from this
 *   origin (no inline script or style anywhere), no framing, forms post only here;
 * - a Host check while bound to a loopback address, so a web page cannot reach the dashboard
 *   through DNS rebinding (its requests would carry the attacker's host name);
 * - state-changing requests (anything but GET/HEAD/OPTIONS) only from this origin: `Sec-Fetch-Site`
 *   must say `same-origin` and `Origin` must equal this server's origin, each when sent, and at
 *   least one must be sent (browsers send both). hono's `csrf()` checks only form content types
 *   and accepts either header alone; this covers every body type and wants both to agree.
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  manifestSrc: ["'self'"],
};

export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    // Served over plain HTTP on this machine: HSTS would only confuse other local services.
    strictTransportSecurity: false,
    xFrameOptions: "DENY",
    referrerPolicy: "same-origin",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Whether `hostname` (as passed to `--host`) is a loopback address. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The host name part of a Host header (`[::1]:8000` → `[::1]`, `localhost:80` → `localhost`). */
function hostNameOf(hostHeader: string): string {
  const match = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return match ? match[1] : "";
}

/** Refuses requests whose Host is not a loopback name (used while bound to loopback). */
export function loopbackHostOnly(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    const name = hostNameOf(host);
    if (!LOOPBACK_HOSTS.has(name) && !/^127\.\d+\.\d+\.\d+$/.test(name)) {
      return c.text("Forbidden: this dashboard answers only to localhost\n", 403);
    }
    await next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuses state-changing requests that do not come from this origin. */
export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const fetchSite = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    // Each header present must say "this origin", and at least one must be present.
    const allowed = (fetchSite !== undefined || origin !== undefined) &&
      (fetchSite === undefined || fetchSite === "same-origin") &&
      (origin === undefined || origin === new URL(c.req.url).origin);
    if (!allowed) {
      return c.text("Forbidden: changes are accepted only from the dashboard's own pages\n", 403);
    }
    await next();
  };
}
