import type { ConnectRouter } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";

/**
 * connect-es answers a Connect unary request whose binary body does not decode with `internal`
 * ("parse binary: …", protocol/serialization.ts), where a malformed JSON body gets
 * `invalid_argument`. Either is the client's mistake: this rewrites the former to
 * `invalid_argument` (HTTP 400), as the native gRPC path does (grpc-js-server.ts), so that alerts on
 * `internal` mean a server fault. Streaming protocols (gRPC-Web, Connect streams) keep connect-es's answer.
 */
export function correctParseErrorCodes(router: ConnectRouter): void {
  const handlers = router.handlers as UniversalHandler[];
  for (let i = 0; i < handlers.length; i++) {
    const handler = handlers[i] as UniversalHandler;
    const corrected = async (request: Parameters<UniversalHandler>[0]) => rewrite(await handler(request));
    handlers[i] = Object.assign(corrected, {
      service: handler.service,
      method: handler.method,
      requestPath: handler.requestPath,
      supportedContentType: handler.supportedContentType,
      protocolNames: handler.protocolNames,
      allowedMethods: handler.allowedMethods,
    });
  }
}

async function rewrite(response: UniversalServerResponse): Promise<UniversalServerResponse> {
  const header = response.header;
  if (response.status !== 500 || response.body === undefined || header === undefined) return response;
  if (header.get("content-type") !== "application/json" || header.has("content-encoding")) return response;
  // A unary error body: one small JSON chunk.
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const unchanged = { ...response, body: once(bytes) };
  let error: { code?: unknown; message?: unknown };
  try {
    error = JSON.parse(bytes.toString("utf8")) as typeof error;
  } catch {
    return unchanged;
  }
  if (error.code !== "internal" || typeof error.message !== "string" || !error.message.startsWith("parse binary:")) return unchanged;
  const body = Buffer.from(JSON.stringify({ ...error, code: "invalid_argument" }));
  const corrected = new Headers(header);
  corrected.set("content-length", String(body.byteLength));
  return { ...response, status: 400, header: corrected, body: once(body) };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
