import { randomUUID } from "node:crypto";
import { createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter, type ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import { callInfoKey } from "../rpc/call-context.js";
import type { ServiceRegistration } from "./grpc-js-server.js";
import { correctParseErrorCodes } from "./parse-error-code.js";

/** A Node request handler: the shape connect-node accepts and returns. */
export type HttpHandler = NonNullable<ConnectNodeAdapterOptions["fallback"]>;

/**
 * The Connect, gRPC-Web (and, over HTTP/2 with TLS fallback, gRPC) handler from connect-node,
 * serving the same implementations as the grpc-js server.
 */
export function createConnectHandler(
  registrations: readonly ServiceRegistration[],
  fallback: HttpHandler,
  shutdownSignal: AbortSignal,
  /** Larger requests are refused with ResourceExhausted. Default 4 MiB. */
  readMaxBytes = 4 * 1024 * 1024,
): HttpHandler {
  return connectNodeAdapter({
    routes(router) {
      for (const { service, impl } of registrations) router.service(service, impl);
      correctParseErrorCodes(router);
    },
    fallback,
    shutdownSignal,
    readMaxBytes,
    contextValues(req) {
      const socket = req.socket;
      const peer = socket.remoteAddress === undefined ? "" : `${socket.remoteAddress}:${socket.remotePort ?? 0}`;
      return createContextValues().set(callInfoKey, { requestId: randomUUID(), peer });
    },
  });
}
