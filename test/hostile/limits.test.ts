/**
 * Per-identity and per-address rate limits, request size limits on every protocol, and slow-loris
 * connections, against the real server process.
 */
import * as net from "node:net";
import { ConnectError, Code, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health } from "../../src/gen/grpc/health/v1/health_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OrganizationService } from "../../src/gen/openesc/v1/organization_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { clientFor, PROTOCOLS, transportFor } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { callConnectRaw, callGrpcRaw, callGrpcWebRaw } from "../fuzz/raw-rpc.js";

async function codeOf(call: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await call;
    return "ok";
  } catch (e) {
    return ConnectError.from(e).code;
  }
}

describe("rate limits", () => {
  let server: TestServer;
  let bobToken: string;
  beforeAll(async () => {
    // Bursts that refill at one call per 1000 s: nothing refills during the test, however slow the machine.
    server = await startTestServer({ args: ["--rate-limit", "0.001", "--rate-limit-burst", "5", "--peer-rate-limit", "0.001"] });
    const tokens = clientFor(TokenService, "connect", server.url, server.token);
    bobToken = (await tokens.createToken({ user: "bob", description: "rate limit test" })).secret;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses an identity past its burst with ResourceExhausted, retry info and retry-after, and leaves other identities alone", async () => {
    const alice = clientFor(OrganizationService, "connect", server.url, server.token);
    // The token creation above used one of the admin's five.
    const codes: (Code | "ok")[] = [];
    for (let i = 0; i < 5; i++) codes.push(await codeOf(alice.listOrganizations({})));
    expect(codes).toEqual(["ok", "ok", "ok", "ok", Code.ResourceExhausted]);

    const error = await alice.listOrganizations({}).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.ResourceExhausted);
    expect(error?.rawMessage).toMatch(/^rate limit exceeded for this identity: retry in \d+\.\d{3} s$/);
    // One token per 1000 s: the wait is close to 1000 s, rounded up in the header.
    expect(Number(error?.metadata.get("retry-after"))).toBeGreaterThan(900);
    const retry = error?.details.find((d) => "type" in d && d.type === "google.rpc.RetryInfo");
    expect(retry).toBeDefined();
    expect(error?.metadata.get("retry-after")).toMatch(/^[1-9]\d*$/);

    // Over gRPC too (grpc-js path), for the same identity.
    const aliceGrpc = clientFor(OrganizationService, "grpc", server.url, server.token);
    expect(await codeOf(aliceGrpc.listOrganizations({}))).toBe(Code.ResourceExhausted);

    // Another identity from the same address is unaffected.
    const bob = clientFor(EnvironmentService, "connect", server.url, bobToken);
    expect(await codeOf(bob.listEnvironments({ org: "default" }))).toBe("ok");
  });

  it("limits calls without an identity by address", async () => {
    const health = createClient(Health, transportFor("connect", server.url));
    const codes: (Code | "ok")[] = [];
    for (let i = 0; i < 3; i++) codes.push(await codeOf(health.check({})));
    // The burst is twice the rate, at least one call: one call, then refusals.
    expect(codes).toEqual(["ok", Code.ResourceExhausted, Code.ResourceExhausted]);
  });
});

describe("failed authentications", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ args: ["--peer-rate-limit", "0.001"] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses an address that keeps guessing tokens, while a token that worked before keeps working", async () => {
    const admin = clientFor(OrganizationService, "connect", server.url, server.token);
    expect(await codeOf(admin.listOrganizations({}))).toBe("ok");
    const newToken = (await clientFor(TokenService, "connect", server.url, server.token).createToken({ user: "carol" })).secret;
    // The burst is one failure (twice the rate, at least one).
    const guess = (token: string) => codeOf(clientFor(OrganizationService, "grpc", server.url, token).listOrganizations({}));
    expect(await guess("oesc_guess_1")).toBe(Code.Unauthenticated);
    expect(await guess("oesc_guess_2")).toBe(Code.ResourceExhausted);
    expect(await guess("oesc_guess_3")).toBe(Code.ResourceExhausted);
    // Known good credentials are not screened; a token never seen from this address waits like the guesses.
    expect(await codeOf(admin.listOrganizations({}))).toBe("ok");
    expect(await codeOf(clientFor(OrganizationService, "connect", server.url, newToken).listOrganizations({}))).toBe(Code.ResourceExhausted);
  });
});

describe("request size limits", () => {
  let server: TestServer;
  const LIMIT = 64 * 1024;
  beforeAll(async () => {
    server = await startTestServer({ args: ["--max-request-bytes", String(LIMIT)] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(PROTOCOLS)("refuses a message over the limit with ResourceExhausted over %s, and serves the next call", async (protocol) => {
    const envs = clientFor(EnvironmentService, protocol, server.url, server.token);
    const big = `values:\n  a: "${"x".repeat(LIMIT)}"\n`;
    const error = await envs.createEnvironment({ org: "default", project: "big", environment: protocol, definition: big }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.ResourceExhausted);
    expect(await codeOf(envs.createEnvironment({ org: "default", project: "big", environment: protocol, definition: "values: {a: 1}\n" }))).toBe("ok");
  });

  it("accepts a definition just under the request limit", async () => {
    const envs = clientFor(EnvironmentService, "connect", server.url, server.token);
    const error = await envs.createEnvironment({ org: "default", project: "big", environment: "under", definition: `values:\n  a: "${"x".repeat(LIMIT - 200)}"\n` }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error).toBeUndefined();
  });
});

describe("slow-loris", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ args: ["--header-timeout-ms", "1500"] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  function connect(): Promise<net.Socket> {
    const { hostname, port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => resolve(socket));
      socket.once("error", reject);
    });
  }

  /** Resolves when the server closes the socket; trickles `bytes` one at a time meanwhile. */
  function trickle(socket: net.Socket, text: string): Promise<{ received: string; sent: number }> {
    let sent = 0;
    let received = "";
    socket.setEncoding("utf8").on("data", (s: string) => (received += s));
    const timer = setInterval(() => {
      if (sent < text.length && !socket.destroyed) socket.write(text[sent++] as string);
    }, 200);
    return new Promise((resolve) => {
      socket.once("close", () => {
        clearInterval(timer);
        resolve({ received, sent });
      });
    });
  }

  it("closes an HTTP/1.1 connection that trickles its headers, while other clients are served", async () => {
    const socket = await connect();
    const headers = `POST /grpc.health.v1.Health/Check HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n${"x-pad: y\r\n".repeat(50)}\r\n`;
    const closed = trickle(socket, headers);
    // Served meanwhile, over HTTP/1.1 and HTTP/2.
    for (const protocol of PROTOCOLS) {
      const health = createClient(Health, transportFor(protocol, server.url));
      expect((await health.check({})).status).toBe(1);
    }
    const { received, sent } = await closed;
    expect(sent).toBeLessThan(headers.length);
    // Node answers 408 before closing (or closes silently); never a response to the request.
    expect(received === "" || received.startsWith("HTTP/1.1 408")).toBe(true);
  }, 30_000);

  it("closes a connection that never says which protocol it speaks", async () => {
    const socket = await connect();
    // "PRI * HTTP/2" is a prefix of the HTTP/2 preface: the listener has to wait for more bytes.
    const closed = trickle(socket, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".slice(0, 6));
    const { received } = await closed;
    expect(received).toBe("");
    const health = createClient(Health, transportFor("grpc", server.url));
    expect((await health.check({})).status).toBe(1);
  }, 30_000);
});

describe("malformed messages over native gRPC", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers an undecodable message with invalid_argument (grpc-js alone would say internal)", async () => {
    const method = OrganizationService.method.listOrganizations;
    expect(await callGrpcRaw(server.url, server.token, method, new Uint8Array([0]))).toBe("invalid_argument");
    expect(await callGrpcRaw(server.url, server.token, method, new Uint8Array([0x0a, 0x05, 0x61]))).toBe("invalid_argument");
    expect(await callGrpcRaw(server.url, server.token, method, new Uint8Array([]))).toBe("ok");
  });

  it("answers an undecodable message with invalid_argument over Connect too (connect-es alone would say internal)", async () => {
    const method = OrganizationService.method.listOrganizations;
    expect(await callConnectRaw(server.url, server.token, method, new Uint8Array([0]), "proto")).toBe("invalid_argument");
    expect(await callConnectRaw(server.url, server.token, method, new TextEncoder().encode("{"), "json")).toBe("invalid_argument");
    expect(await callConnectRaw(server.url, server.token, method, new Uint8Array([]), "proto")).toBe("ok");
  });

  it("answers an undecodable message with invalid_argument over gRPC-Web and on Connect streams", async () => {
    const method = OrganizationService.method.listOrganizations;
    expect(await callGrpcWebRaw(server.url, server.token, method, new Uint8Array([0]))).toBe("invalid_argument");
    expect(await callGrpcWebRaw(server.url, server.token, method, new Uint8Array([]))).toBe("ok");
    // Health/Watch is a server stream: its first message would never end, so only the refusal is asked for.
    expect(await callConnectRaw(server.url, server.token, Health.method.watch, new Uint8Array([0]), "proto")).toBe("invalid_argument");
  });
});
