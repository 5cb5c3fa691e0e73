import type { ConnectRouter } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";

/**
 * connect-es answers a request whose binary message does not decode with `internal`
 * ("parse binary: …", protocol/serialization.ts), where a malformed JSON body gets
 * `invalid_argument`. Either is the client's mistake: this rewrites the former to
 * `invalid_argument`, as the native gRPC path does (grpc-js-server.ts), so that alerts on
 * `internal` mean a server fault. It covers Connect unary (the JSON error body, HTTP 500 → 400),
 * Connect streams (the end-of-stream envelope) and gRPC-Web (the trailers envelope).
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
  const body = response.body;
  if (body === undefined || header === undefined || header.has("content-encoding")) return response;
  const type = header.get("content-type") ?? "";
  if (response.status === 500 && type === "application/json") return rewriteUnary(response, body, header);
  if (response.status === 200 && (type.startsWith("application/connect+") || type.startsWith("application/grpc-web"))) {
    return { ...response, body: rewriteEnvelopes(body) };
  }
  return response;
}

async function rewriteUnary(response: UniversalServerResponse, body: AsyncIterable<Uint8Array>, header: Headers): Promise<UniversalServerResponse> {
  // A unary error body: one small JSON chunk.
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const corrected = correctedJson(bytes);
  if (corrected === undefined) return { ...response, body: once(bytes) };
  const headers = new Headers(header);
  headers.set("content-length", String(corrected.byteLength));
  return { ...response, status: 400, header: headers, body: once(corrected) };
}

/**
 * Streams pass through untouched, except a chunk that is exactly one end-of-stream (Connect, flag 2)
 * or trailers (gRPC-Web, flag 0x80) envelope carrying the parse error.
 */
async function* rewriteEnvelopes(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (bytes.length < 5 || bytes.readUInt32BE(1) !== bytes.length - 5) {
      yield chunk;
      continue;
    }
    const flags = bytes.readUInt8(0);
    const payload = bytes.subarray(5);
    const corrected = flags === 2 ? correctedEndStream(payload) : flags === 0x80 ? correctedTrailers(payload) : undefined;
    yield corrected === undefined ? chunk : envelope(flags, corrected);
  }
}

function correctedJson(bytes: Buffer): Buffer | undefined {
  let error: { code?: unknown; message?: unknown };
  try {
    error = JSON.parse(bytes.toString("utf8")) as typeof error;
  } catch {
    return undefined;
  }
  if (!isParseError(error)) return undefined;
  return Buffer.from(JSON.stringify({ ...error, code: "invalid_argument" }));
}

function correctedEndStream(payload: Buffer): Buffer | undefined {
  let end: { error?: { code?: unknown; message?: unknown } };
  try {
    end = JSON.parse(payload.toString("utf8")) as typeof end;
  } catch {
    return undefined;
  }
  if (end.error === undefined || !isParseError(end.error)) return undefined;
  return Buffer.from(JSON.stringify({ ...end, error: { ...end.error, code: "invalid_argument" } }));
}

function correctedTrailers(payload: Buffer): Buffer | undefined {
  const text = payload.toString("latin1");
  if (!/^grpc-status: ?13\r?$/im.test(text) || !/^grpc-message: ?parse%20binary%3A/im.test(text)) return undefined;
  return Buffer.from(text.replace(/^grpc-status: ?13(\r?)$/im, "grpc-status: 3$1"), "latin1");
}

function isParseError(error: { code?: unknown; message?: unknown }): boolean {
  return error.code === "internal" && typeof error.message === "string" && error.message.startsWith("parse binary:");
}

function envelope(flags: number, payload: Buffer): Uint8Array {
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
