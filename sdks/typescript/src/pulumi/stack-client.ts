import { createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { OpenService, type ResolveAnonymousEnvironmentResponse } from "../gen/openesc/v1/open_pb.js";

/**
 * The one call the resolver makes: open an anonymous environment (the stack's `environment:` block)
 * in an org. The generated `Client<typeof OpenService>` satisfies it, and so does
 * `createOpenEscClient(…).service(OpenService)`.
 */
export interface StackEnvironmentClient {
  resolveAnonymousEnvironment(request: { org: string; definition: string }): Promise<ResolveAnonymousEnvironmentResponse>;
}

/** Where the server is: a base URL and an API token, or a ready Connect transport. */
export type StackClientOptions =
  | { readonly url: string; readonly token: string; readonly timeoutMs?: number }
  | { readonly transport: Transport };

/**
 * A {@link StackEnvironmentClient} over the Connect protocol (HTTP/1.1, binary), sending the token
 * as `authorization: Bearer …` on every call.
 */
export function createStackEnvironmentClient(options: StackClientOptions): StackEnvironmentClient {
  if ("transport" in options) return createClient(OpenService, options.transport);
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${options.token}`);
    return next(req);
  };
  const transport = createConnectTransport({
    baseUrl: options.url,
    httpVersion: "1.1",
    useBinaryFormat: true,
    interceptors: [bearer],
    defaultTimeoutMs: options.timeoutMs ?? 60_000,
  });
  return createClient(OpenService, transport);
}
