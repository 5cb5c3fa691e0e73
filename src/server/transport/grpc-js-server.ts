import { Code, ConnectError, createContextValues, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { create, fromBinary, isMessage, toBinary, type DescMessage, type DescMethod, type DescService } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";
import { on } from "node:events";
import { toConnectError } from "../errors.js";
import { callInfoKey } from "../rpc/call-context.js";
import { createGrpcCallContexts, type GrpcCallContext, type GrpcCallInit } from "./grpc-call-context.js";
import { GrpcHeaders } from "./grpc-headers.js";
import { encodeGrpcStatusDetails } from "./grpc-status-details.js";
import { sendsWireBytesKey, wireBytesOf } from "./wire-bytes.js";

/** A service and its (already wrapped) implementation. */
export interface ServiceRegistration {
  readonly service: DescService;
  readonly impl: ServiceImpl<DescService>;
}

type AnyImpl = (input: unknown, ctx: HandlerContext) => unknown;

/**
 * Builds a @grpc/grpc-js server that serves the same implementations as the Connect router.
 * grpc-js carries native gRPC over HTTP/2 at a fraction of connect-node's per-call cost
 * (design/PERFORMANCE.md); messages are still (de)serialized by protobuf-es.
 */
export function createGrpcJsServer(
  registrations: readonly ServiceRegistration[],
  shutdownSignal: AbortSignal,
  /** Larger messages are refused with RESOURCE_EXHAUSTED. Default 4 MiB. */
  maxReceiveBytes = 4 * 1024 * 1024,
): grpc.Server {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": maxReceiveBytes,
    "grpc.keepalive_permit_without_calls": 1,
    // Connections with no call for 5 minutes get a GOAWAY: silent HTTP/2 connections can't pile up.
    "grpc.max_connection_idle_ms": 300_000,
    // No channelz service is registered, so its per-call bookkeeping would only cost CPU.
    "grpc.enable_channelz": 0,
  });
  const contexts = createGrpcCallContexts(shutdownSignal);
  for (const { service, impl } of registrations) {
    const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const method of service.methods) {
      definition[method.localName] = methodDefinition(method);
      const fn = (impl as unknown as Record<string, AnyImpl>)[method.localName] as AnyImpl;
      handlers[method.localName] = createHandler(method, fn, contexts);
    }
    server.addService(definition as grpc.ServiceDefinition, handlers);
  }
  return server;
}

function methodDefinition(method: DescMethod): grpc.MethodDefinition<unknown, unknown> {
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
    responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
    requestSerialize: (value: unknown) => Buffer.from(toBinary(method.input, value as never)),
    requestDeserialize: (bytes: Buffer) => decodeRequest(method.input, bytes),
    responseSerialize: (value: unknown) => serialize(method.output, value),
    responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
  };
}

/**
 * A request that did not decode. grpc-js answers a throwing deserializer with INTERNAL; a malformed
 * message is the client's mistake, so the handler answers it with InvalidArgument instead.
 */
class UndecodableRequest {
  constructor(readonly error: ConnectError) {}
}

function decodeRequest(desc: DescMessage, bytes: Buffer): unknown {
  try {
    return fromBinary(desc, bytes);
  } catch (e) {
    const reason = e instanceof Error ? e.message.slice(0, 200) : "malformed message";
    return new UndecodableRequest(new ConnectError(`parse binary: ${reason}`, Code.InvalidArgument));
  }
}

/** The decoded request, or the InvalidArgument error of an undecodable one (thrown). */
function decoded(message: unknown): unknown {
  if (message instanceof UndecodableRequest) throw message.error;
  return message;
}

async function* refused(error: ConnectError): AsyncGenerator<unknown> {
  throw error;
}

function serialize(desc: DescMessage, value: unknown): Buffer {
  const bytes = wireBytesOf(value) ?? toBinary(desc, isMessage(value, desc) ? value : create(desc, value as never));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;

type Contexts = (init: GrpcCallInit) => GrpcCallContext;

function contextFor(method: DescMethod, call: AnyCall, contexts: Contexts): GrpcCallContext {
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  const timeoutMs = Number.isFinite(deadlineMs) ? Math.max(0, deadlineMs - Date.now()) : undefined;
  const values = createContextValues();
  values.set(callInfoKey, { requestId: randomUUID(), peer: call.getPeer() });
  values.set(sendsWireBytesKey, true);
  const ctx = contexts({ method, timeoutMs, requestHeader: GrpcHeaders.fromMetadata(call.metadata), values });
  // grpc-js also reports a call that ended normally as cancelled: aborting a finished call is a no-op.
  (call as unknown as NodeJS.EventEmitter).once("cancelled", () => ctx.abort());
  return ctx;
}

function toServiceError(reason: unknown, ctx: GrpcCallContext): Partial<grpc.StatusObject> {
  const requestId = ctx.values.get(callInfoKey)?.requestId ?? "";
  const error = toConnectError(reason, requestId);
  const metadata = ctx.responseTrailer.toMetadata();
  const details = encodeGrpcStatusDetails(error);
  if (details !== undefined) metadata.set("grpc-status-details-bin", Buffer.from(details));
  return { code: error.code as number as grpc.status, details: error.rawMessage, metadata };
}

function createHandler(method: DescMethod, fn: AnyImpl, contexts: Contexts): grpc.UntypedHandleCall {
  switch (method.methodKind) {
    case "unary":
      return (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const ctx = contextFor(method, call, contexts);
        new Promise((resolve) => resolve(fn(decoded(call.request), ctx))).then(
          (output) => {
            call.sendMetadata(ctx.responseHeader.toMetadata());
            callback(null, output, ctx.responseTrailer.toMetadata());
            ctx.finish();
          },
          (reason: unknown) => {
            call.sendMetadata(ctx.responseHeader.toMetadata());
            callback(toServiceError(reason, ctx));
            ctx.abort();
          },
        );
      };
    case "server_streaming":
    case "bidi_streaming":
      return (call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>) => {
        const ctx = contextFor(method, call, contexts);
        const input = method.methodKind === "server_streaming" ? (call as grpc.ServerWritableStream<unknown, unknown>).request : messagesOf(call);
        const outputs = input instanceof UndecodableRequest ? refused(input.error) : (fn(input, ctx) as AsyncIterable<unknown>);
        void pump(outputs, call as WritableCall, ctx);
      };
    case "client_streaming":
      return (call: grpc.ServerReadableStream<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const ctx = contextFor(method, call as never, contexts);
        Promise.resolve(fn(messagesOf(call), ctx)).then(
          (output) => {
            callback(null, output, ctx.responseTrailer.toMetadata());
            ctx.finish();
          },
          (reason: unknown) => {
            callback(toServiceError(reason, ctx));
            ctx.abort();
          },
        );
      };
  }
}

/**
 * The client's messages until it half-closes. Iterating the grpc-js stream object itself does not
 * finish on half-close, so the events are read directly.
 */
async function* messagesOf(call: NodeJS.EventEmitter): AsyncGenerator<unknown> {
  for await (const [message] of on(call, "data", { close: ["end"] }) as AsyncIterable<[unknown]>) yield decoded(message);
}

type WritableCall = Pick<grpc.ServerWritableStream<unknown, unknown>, "write" | "end" | "sendMetadata" | "emit" | "once">;

async function pump(outputs: AsyncIterable<unknown>, call: WritableCall, ctx: GrpcCallContext): Promise<void> {
  let headersSent = false;
  const sendHeaders = () => {
    if (!headersSent) {
      headersSent = true;
      call.sendMetadata(ctx.responseHeader.toMetadata());
    }
  };
  try {
    for await (const output of outputs) {
      sendHeaders();
      if (!call.write(output)) {
        await new Promise<void>((resolve) => call.once("drain", resolve));
      }
    }
    sendHeaders();
    call.end(ctx.responseTrailer.toMetadata());
  } catch (reason) {
    sendHeaders();
    call.emit("error", toServiceError(reason, ctx));
  } finally {
    ctx.abort();
  }
}
