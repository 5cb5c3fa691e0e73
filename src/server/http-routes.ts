import type * as http from "node:http";
import type { Readiness } from "./services/health-service.js";
import type { HttpHandler } from "./transport/connect-handler.js";

type NodeResponse = Parameters<HttpHandler>[1];

/**
 * `/healthz` (the process answers) and `/readyz` (it can serve: storage reachable, not draining), and
 * `/metrics` when a metrics route is given (not when metrics have a listener of their own).
 */
export function createHttpRoutes(readiness: Readiness, metrics?: HttpHandler): HttpHandler {
  const send = (res: NodeResponse, status: number, body: object) => {
    const text = JSON.stringify(body);
    (res as http.ServerResponse).writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") return send(res, 200, { status: "ok" });
    if (path === "/metrics" && metrics !== undefined) return metrics(req, res);
    if (req.method === "GET" && path === "/readyz") {
      void readiness.isServing().then(
        (ok) => send(res, ok ? 200 : 503, { status: ok ? "ready" : "not ready" }),
        () => send(res, 503, { status: "not ready" }),
      );
      return;
    }
    send(res, 404, { error: "not found" });
  };
}
