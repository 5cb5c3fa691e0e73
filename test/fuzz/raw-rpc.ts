/**
 * Raw RPC calls that send arbitrary bytes where a generated client would only send valid messages:
 * Connect (unary and streaming envelopes, proto or JSON) over HTTP/1.1 and gRPC over h2c.
 * Each returns the Connect code name the server answered with (`ok` for success).
 */
import * as http2 from "node:http2";
import type { DescMethod } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";

/** Connect error code names by gRPC status number. */
export function codeNameOf(status: number): string {
  const name = Code[status] as string | undefined;
  return status === 0 ? "ok" : name === undefined ? `status ${status}` : name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "_") + c.toLowerCase());
}

function envelope(flags: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** Calls `method` over the Connect protocol with `body` as the (only) request message. */
export async function callConnectRaw(baseUrl: string, token: string, method: DescMethod, body: Uint8Array, codec: "proto" | "json"): Promise<string> {
  const url = `${baseUrl}/${method.parent.typeName}/${method.name}`;
  const unary = method.methodKind === "unary";
  const res = await fetch(url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": unary ? `application/${codec}` : `application/connect+${codec}`,
      ...(unary ? {} : { "connect-protocol-version": "1" }),
      "connect-timeout-ms": "10000",
    },
    body: unary ? body : envelope(0, body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (unary) {
    if (res.status === 200) return "ok";
    const error = JSON.parse(bytes.toString("utf8")) as { code: string; message?: string };
    // The server corrects connect-es's `internal` "parse binary: …" to invalid_argument
    // (transport/parse-error-code.ts); reported apart should it ever come back.
    return error.code === "internal" && error.message?.startsWith("parse binary:") === true ? "internal (parse binary)" : error.code;
  }
  if (res.status !== 200) return `http ${res.status}`;
  // Streaming: envelopes; the end-of-stream one (flag 2) holds JSON with an optional error.
  for (let at = 0; at + 5 <= bytes.length; ) {
    const flags = bytes.readUInt8(at);
    const length = bytes.readUInt32BE(at + 1);
    const payload = bytes.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if ((flags & 2) === 2) {
      const end = JSON.parse(payload.toString("utf8") || "{}") as { error?: { code: string; message?: string } };
      const error = end.error;
      if (error === undefined) return "ok";
      return error.code === "internal" && error.message?.startsWith("parse binary:") === true ? "internal (parse binary)" : error.code;
    }
  }
  return "no end of stream";
}

/** Calls `method` over gRPC-Web (HTTP/1.1) with `body` as the request message. */
export async function callGrpcWebRaw(baseUrl: string, token: string, method: DescMethod, body: Uint8Array): Promise<string> {
  const res = await fetch(`${baseUrl}/${method.parent.typeName}/${method.name}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/grpc-web+proto", "x-grpc-web": "1", "grpc-timeout": "10S" },
    body: envelope(0, body),
  });
  if (res.status !== 200) return `http ${res.status}`;
  const bytes = Buffer.from(await res.arrayBuffer());
  // A trailers-only response carries the status in the headers.
  let status = res.headers.get("grpc-status") ?? undefined;
  for (let at = 0; at + 5 <= bytes.length; ) {
    const flags = bytes.readUInt8(at);
    const length = bytes.readUInt32BE(at + 1);
    const payload = bytes.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if ((flags & 0x80) === 0x80) status = /^grpc-status: ?(\d+)/im.exec(payload.toString("latin1"))?.[1] ?? status;
  }
  return status === undefined ? "no status" : codeNameOf(Number(status));
}

/** Calls `method` over native gRPC (h2c, served by grpc-js) with `body` as the request message. */
export function callGrpcRaw(baseUrl: string, token: string, method: DescMethod, body: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const req = session.request({
      ":method": "POST",
      ":path": `/${method.parent.typeName}/${method.name}`,
      "content-type": "application/grpc+proto",
      te: "trailers",
      authorization: `Bearer ${token}`,
      "grpc-timeout": "10S",
    });
    let status: string | undefined;
    req.on("response", (headers) => {
      // A trailers-only response carries the status in the headers.
      if (headers["grpc-status"] !== undefined) status = String(headers["grpc-status"]);
    });
    req.on("trailers", (trailers) => {
      if (trailers["grpc-status"] !== undefined) status = String(trailers["grpc-status"]);
    });
    req.on("data", () => {});
    req.on("error", reject);
    req.on("close", () => {
      session.close();
      resolve(status === undefined ? "no status" : codeNameOf(Number(status)));
    });
    req.end(envelope(0, body));
  });
}
