/**
 * The issuer's two public documents over plain HTTP: `/.well-known/openid-configuration` and the
 * JWKS. No token needed (relying parties fetch them anonymously); short public caching.
 */
import type { ServerResponse } from "node:http";
import { DISCOVERY_PATH, JWKS_PATH, type OidcIssuer } from "./issuer.js";

/** The parts of an HTTP/1.1 or HTTP/2 request the routes read. */
export interface RouteRequest {
  readonly url?: string;
  readonly method?: string;
}

/** Serves the two documents and hands every other request to `next`. */
export function withOidcRoutes<Req extends RouteRequest, Res>(issuer: OidcIssuer, next: (req: Req, res: Res) => void): (req: Req, res: Res) => void {
  const send = (out: Res, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    // HTTP/1.1 and HTTP/2 responses share this much.
    const res = out as unknown as ServerResponse;
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "public, max-age=60" });
    res.end(text);
  };
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return next(req, res);
    if (path === DISCOVERY_PATH) return send(res, 200, issuer.discovery());
    if (path === JWKS_PATH) {
      issuer.jwks().then(
        (jwks) => send(res, 200, jwks),
        () => send(res, 503, { error: "signing keys unavailable" }),
      );
      return;
    }
    next(req, res);
  };
}
