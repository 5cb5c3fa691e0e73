import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";

/** The protocols the server speaks; e2e suites loop over them. */
export const PROTOCOLS = ["connect", "grpc-web", "grpc"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

function bearer(token: string | undefined): Interceptor {
  return (next) => (req) => {
    if (token !== undefined) req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}

/** A generated-client transport for one protocol: Connect and gRPC-Web over HTTP/1.1, gRPC over h2c. */
export function transportFor(protocol: Protocol, baseUrl: string, token?: string): Transport {
  const interceptors = [bearer(token)];
  switch (protocol) {
    case "connect":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors });
    case "grpc":
      return createGrpcTransport({ baseUrl, interceptors });
  }
}

/** A typed client of one service over one protocol. */
export function clientFor<S extends DescService>(service: S, protocol: Protocol, baseUrl: string, token?: string): Client<S> {
  return createClient(service, transportFor(protocol, baseUrl, token));
}
