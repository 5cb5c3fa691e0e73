import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A listener that serves only `/metrics`, for `--metrics-listen`. */
export interface MetricsListener {
  /** `http://HOST:PORT`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0: any free port) and answers `/metrics` with `route`, 404 otherwise. */
export async function startMetricsListener(
  host: string,
  port: number,
  route: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  headerTimeoutMs: number,
): Promise<MetricsListener> {
  const server = http.createServer({ headersTimeout: headerTimeoutMs, requestTimeout: headerTimeoutMs * 2, connectionsCheckingInterval: Math.min(1000, headerTimeoutMs) }, (req, res) => {
    if ((req.url ?? "/").split("?")[0] === "/metrics") return route(req, res);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
