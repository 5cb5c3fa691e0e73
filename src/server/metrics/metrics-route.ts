import { timingSafeEqual, createHash } from "node:crypto";
import type * as http from "node:http";
import type { HttpHandler } from "../transport/connect-handler.js";
import type { ServerMetrics } from "./server-metrics.js";

type NodeRequest = Parameters<HttpHandler>[0];
type NodeResponse = Parameters<HttpHandler>[1];

/**
 * `GET /metrics` in the Prometheus text format. With a token, a scrape without
 * `Authorization: Bearer <token>` gets 401 (compared in constant time).
 */
export function createMetricsRoute(metrics: ServerMetrics, token?: string): (req: NodeRequest, res: NodeResponse) => void {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res) => {
    const out = res as http.ServerResponse;
    if (req.method !== "GET" && req.method !== "HEAD") {
      out.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
      res.end("method not allowed\n");
      return;
    }
    if (expected !== undefined) {
      const m = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ""));
      if (m === null || !timingSafeEqual(digest(m[1] as string), expected)) {
        out.writeHead(401, { "www-authenticate": 'Bearer realm="openesc-metrics"', "content-type": "text/plain" });
        res.end("unauthorized\n");
        return;
      }
    }
    metrics.render().then(
      ({ contentType, body }) => {
        out.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
        out.end(req.method === "HEAD" ? "" : body);
      },
      () => {
        // Gauge sources catch their own failures (server-metrics.ts); anything else is a clear 503.
        out.writeHead(503, { "content-type": "text/plain" });
        res.end("metrics unavailable\n");
      },
    );
  };
}

// Hashing first gives both sides the same length, which timingSafeEqual needs.
function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
