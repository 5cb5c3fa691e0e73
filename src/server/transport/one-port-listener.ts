import * as http from "node:http";
import * as net from "node:net";
import * as tls from "node:tls";
import type * as grpc from "@grpc/grpc-js";

/** The HTTP/2 connection preface every h2c client sends first (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export interface OnePortListenerOptions {
  readonly http1: http.Server;
  readonly grpc: grpc.ConnectionInjector;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /**
   * A new connection must complete its TLS handshake, or send enough bytes to tell HTTP/2 from
   * HTTP/1.1, within this time or it is closed (slow-loris). Default 10 s.
   */
  readonly handshakeTimeoutMs?: number;
}

/** The listening socket and a way to cut every connection it accepted (the end of shutdown). */
export interface OnePortListener {
  readonly server: net.Server;
  destroyConnections(): void;
}

/**
 * One port for every protocol. HTTP/2 connections (h2c by preface, or TLS with ALPN `h2`) go to
 * grpc-js for native gRPC; everything else goes to the HTTP/1.1 server (Connect, gRPC-Web, probes).
 * Node's http2 server cannot serve HTTP/1.1 on the same cleartext port, hence the sniffing.
 */
export function createOnePortListener(options: OnePortListenerOptions): OnePortListener {
  const sockets = new Set<net.Socket>();
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  // Node starts checking headersTimeout/requestTimeout only when an http.Server emits "listening"
  // (setupConnectionsTracking). This one never listens itself, so without this its connections
  // would never time out: a client trickling its headers could hold a socket forever.
  options.http1.emit("listening");
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const destroyConnections = () => {
    for (const socket of sockets) socket.destroy();
  };
  const route = (socket: net.Socket | tls.TLSSocket, first: Buffer | undefined, isH2: boolean) => {
    if (first !== undefined) socket.unshift(first);
    if (isH2) options.grpc.injectConnection(socket);
    else options.http1.emit("connection", socket);
  };
  if (options.tls !== undefined) {
    const server = tls.createServer({ cert: options.tls.cert, key: options.tls.key, ALPNProtocols: ["h2", "http/1.1"], handshakeTimeout: handshakeTimeoutMs });
    server.on("connection", track);
    server.on("secureConnection", (socket) => route(socket, undefined, socket.alpnProtocol === "h2"));
    return { server, destroyConnections };
  }
  const server = net.createServer((socket) => {
    track(socket);
    let buffered = Buffer.alloc(0);
    // Until the protocol is known nobody else watches this socket: a silent client would hold it forever.
    const sniffTimer = setTimeout(() => socket.destroy(), handshakeTimeoutMs);
    sniffTimer.unref();
    socket.once("close", () => clearTimeout(sniffTimer));
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const n = Math.min(buffered.length, H2_PREFACE.length);
      const isPrefix = buffered.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isPrefix && buffered.length < H2_PREFACE.length) return; // need more bytes to decide
      socket.off("data", onData);
      clearTimeout(sniffTimer);
      socket.pause();
      route(socket, buffered, isPrefix);
      // HTTP/2 reads the socket natively once it has drained the unshifted bytes; resuming the
      // JS stream would steal data from it. The HTTP/1.1 parser needs the stream flowing.
      if (!isPrefix) socket.resume();
    };
    socket.on("data", onData);
    socket.on("error", () => socket.destroy());
  });
  return { server, destroyConnections };
}
