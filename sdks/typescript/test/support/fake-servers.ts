import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A local HTTP server standing in for a broken OpenESC: it records the paths it was asked for. */
export interface FakeServer {
  readonly url: string;
  /** The request paths, in order (`/openesc.v1.EnvironmentService/GetEnvironment`). */
  readonly requests: string[];
  /** The authorization header of each request, in order. */
  readonly authorization: string[];
  close(): Promise<void>;
}

/** Answers every request with one Connect error, such as `unavailable` (HTTP 503). */
export function startErrorServer(code: string, message: string, httpStatus: number): Promise<FakeServer> {
  return start((req, res) => {
    res.writeHead(httpStatus, { "content-type": "application/json" });
    res.end(JSON.stringify({ code, message }));
  });
}

/** Answers every request with the Connect error `unavailable` (HTTP 503). */
export function startUnavailableServer(): Promise<FakeServer> {
  return startErrorServer("unavailable", "down for maintenance", 503);
}

/** Reads every request and never answers (until closed): calls end by time-out or cancellation. */
export function startSilentServer(): Promise<FakeServer> {
  return start(() => {});
}

function start(handle: (req: IncomingMessage, res: import("node:http").ServerResponse) => void): Promise<FakeServer> {
  const requests: string[] = [];
  const authorization: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    authorization.push(req.headers.authorization ?? "");
    req.resume();
    req.on("end", () => handle(req, res));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        authorization,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
