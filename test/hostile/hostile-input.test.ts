/**
 * Hostile input against the real server on SQLite and PostgreSQL: each case is a clean error with
 * the right code at a bounded cost, and the server answers the next request.
 */
import { create, toBinary, type DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService, GetEnvironmentRequestSchema } from "../../src/gen/openesc/v1/environment_pb.js";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { contractServices } from "../../src/server/index.js";
import { clientFor, PROTOCOLS } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { callConnectRaw, callGrpcRaw } from "../fuzz/raw-rpc.js";

type Outcome = Code | "ok";

function bearer(token: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}

async function outcome(call: Promise<unknown>): Promise<{ code: Outcome; message: string }> {
  try {
    await call;
    return { code: "ok", message: "" };
  } catch (e) {
    const error = ConnectError.from(e);
    return { code: error.code, message: error.rawMessage };
  }
}

/** Billion laughs: nine levels of nine aliases each, 9^9 strings if expanded. */
function aliasBomb(): string {
  const names = "abcdefghi";
  const lines = ["values:", `  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i < names.length; i++) lines.push(`  ${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(",")}]`);
  return `${lines.join("\n")}\n`;
}

/** SQL metacharacters and other text that has broken storage layers. */
const SQL_TEXT = ["'; DROP TABLE environments; --", "' OR '1'='1", "\" OR \"\"=\"", "%", "_", "\\", "$1", "`", "/*", "E'\\x41'"];

/** A request of `method` with every string field (top level) set to `text`. */
function everyStringField(method: DescMethod, text: string): Uint8Array {
  const init: Record<string, unknown> = {};
  for (const field of method.input.fields) {
    if (field.fieldKind === "scalar" && field.scalar === 9 /* STRING */ && field.oneof === undefined) init[field.localName] = text;
  }
  return toBinary(method.input, create(method.input, init as never));
}

const DIALECTS = ["sqlite", ...(testPostgresUrl() === undefined ? [] : ["postgres"])] as const;

describe.each(DIALECTS)("hostile input on %s", (dialect) => {
  let server: TestServer;
  let dropDatabase: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    let database: string | undefined;
    if (dialect === "postgres") {
      const db = await createTestDatabase();
      database = db.url;
      dropDatabase = () => db.drop();
    }
    server = await startTestServer({ ...(database === undefined ? {} : { database }), env: { OPENESC_LOG_LEVEL: "warn" } });
    const envs = clientFor(EnvironmentService, "connect", server.url, server.token);
    await envs.createEnvironment({ org: "default", project: "app", environment: "prod", definition: "values:\n  keep: me\n" });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dropDatabase?.();
  });

  /** The server still answers, and the environment written first is intact. */
  async function stillServing(): Promise<void> {
    const who = clientFor(IdentityService, "grpc", server.url, server.token);
    expect((await who.whoAmI({})).login).toBe("admin");
    const envs = clientFor(EnvironmentService, "connect", server.url, server.token);
    expect((await envs.getEnvironment({ org: "default", project: "app", environment: "prod" })).revision?.definition).toBe("values:\n  keep: me\n");
  }

  const createEnv = (environment: string, definition: string, protocol: (typeof PROTOCOLS)[number] = "connect") =>
    outcome(clientFor(EnvironmentService, protocol, server.url, server.token).createEnvironment({ org: "default", project: "hostile", environment, definition }));

  it("refuses a YAML alias bomb (billion laughs) without expanding it", async () => {
    expect(await createEnv("bomb", aliasBomb())).toEqual({ code: Code.InvalidArgument, message: "definition: 3:10: alias nodes are not supported" });
    await stillServing();
  });

  it.each(["connect", "grpc-web"] as const)("refuses a 10 MB string with ResourceExhausted over %s (request size limit)", async (protocol) => {
    // A connection of its own: connect-node's HTTP/1.1 client can stall writing a large body on a
    // reused keep-alive socket that the server answered early (the server answers in milliseconds;
    // a plain node:http client with keep-alive does not reuse such a socket).
    const transport =
      protocol === "connect"
        ? createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", nodeOptions: { agent: false }, interceptors: [bearer(server.token)] })
        : createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1", nodeOptions: { agent: false }, interceptors: [bearer(server.token)] });
    const envs = createClient(EnvironmentService, transport);
    for (const mb of [5, 10]) {
      const result = await outcome(envs.createEnvironment({ org: "default", project: "hostile", environment: `mb${mb}`, definition: `values:\n  a: "${"x".repeat(mb * 1024 * 1024)}"\n` }));
      // The server answers before reading the body; a client still writing may see the connection
      // close (EPIPE, ECONNRESET) before it reads that answer. Either way nothing past the limit is read.
      if (result.code === Code.ResourceExhausted) expect(result.message).toMatch(/^message size (\d+ )?is larger than configured readMaxBytes 4194304$/);
      else expect(result.message).toMatch(/EPIPE|ECONNRESET/);
    }
    await stillServing();
  }, 60_000);

  it("refuses an oversized message over native gRPC with ResourceExhausted", async () => {
    const result = await createEnv("five-mb", `values:\n  a: "${"x".repeat(5 * 1024 * 1024)}"\n`, "grpc");
    expect(result).toEqual({ code: Code.ResourceExhausted, message: "Received message larger than max (5242928 vs 4194304)" });
    // Far over the limit, grpc-js answers just the same, but Node's HTTP/2 session resets the stream
    // while the client is still sending (NGHTTP2_ENHANCE_YOUR_CALM), which the client reports as
    // internal: the refusal is as cheap, only its code is lost on the way. The server keeps serving.
    const huge = await createEnv("ten-mb", `values:\n  a: "${"x".repeat(10 * 1024 * 1024)}"\n`, "grpc");
    expect(huge.code === Code.ResourceExhausted || (huge.code === Code.Internal && huge.message.includes("NGHTTP2_ENHANCE_YOUR_CALM"))).toBe(true);
    await stillServing();
  }, 60_000);

  it("refuses a 3 MB definition (under the request limit) with InvalidArgument naming the bound", async () => {
    expect(await createEnv("three-mb", `values:\n  a: "${"x".repeat(3_000_000)}"\n`)).toEqual({ code: Code.InvalidArgument, message: "definition: definition exceeds the maximum size of 1048576 bytes" });
    await stillServing();
  });

  it("refuses 100,000-deep nesting, flow and block", async () => {
    expect(await createEnv("flow", `values:\n  a: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`)).toEqual({ code: Code.InvalidArgument, message: "definition: definition exceeds the maximum nesting depth of 64" });
    expect(await createEnv("block", `values:\n  a:\n    ${"- ".repeat(100_000)}x\n`)).toEqual({ code: Code.InvalidArgument, message: "definition: yaml: document is nested too deeply" });
    expect(await createEnv("block-map", `values:\n${Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(i + 2)}k${i}:`).join("\n")} x\n`)).toMatchObject({ code: Code.InvalidArgument });
    await stillServing();
  });

  it("decodes invalid UTF-8 as U+FFFD: a name is refused, a definition keeps the replacement character", async () => {
    const method = EnvironmentService.method.createEnvironment;
    const withBytes = (environment: Uint8Array, definition: Uint8Array) => {
      // Field 1 org, 2 project, 3 environment, 4 definition (all length-delimited).
      const field = (n: number, bytes: Uint8Array) => [(n << 3) | 2, bytes.length, ...bytes];
      const enc = new TextEncoder();
      return new Uint8Array([...field(1, enc.encode("default")), ...field(2, enc.encode("utf8")), ...field(3, environment), ...field(4, definition)]);
    };
    const bad = new Uint8Array([0x61, 0xff, 0xfe, 0x62]);
    const enc = new TextEncoder();
    expect(await callConnectRaw(server.url, server.token, method, withBytes(bad, enc.encode("values: {}")), "proto")).toBe("invalid_argument");
    expect(await callGrpcRaw(server.url, server.token, method, withBytes(bad, enc.encode("values: {}")))).toBe("invalid_argument");
    const definition = new Uint8Array([...enc.encode("values:\n  a: x"), 0xc3, 0x28, ...enc.encode("\n")]);
    expect(await callGrpcRaw(server.url, server.token, method, withBytes(enc.encode("bytes"), definition))).toBe("ok");
    const envs = clientFor(EnvironmentService, "connect", server.url, server.token);
    expect((await envs.getEnvironment({ org: "default", project: "utf8", environment: "bytes" })).revision?.definition).toBe("values:\n  a: x\uFFFD(\n");
    await stillServing();
  });

  it("refuses U+0000 in any text field with InvalidArgument (PostgreSQL text can't store it)", async () => {
    // Names are checked by their own rule first; free text by the NUL rule.
    expect(await createEnv("a\u0000b", "values: {}")).toEqual({ code: Code.InvalidArgument, message: "environment: must be 1–100 letters, digits, '-', '_' or '.'" });
    expect(await createEnv("nul", "values:\n  a: x\u0000y\n")).toEqual({ code: Code.InvalidArgument, message: "definition: must not contain NUL (U+0000) characters" });
    const envs = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const tokens = clientFor(TokenService, "grpc", server.url, server.token);
    expect(await outcome(tokens.createToken({ description: "a\u0000b" }))).toEqual({ code: Code.InvalidArgument, message: "description: must not contain NUL (U+0000) characters" });
    await stillServing();
  });

  it("bounds page sizes: a huge one is served as 1000 at most, a negative one is refused", async () => {
    const envs = clientFor(EnvironmentService, "connect", server.url, server.token);
    const page = await envs.listEnvironments({ org: "default", pageSize: 2_147_483_647 });
    expect(page.environments.map((e) => `${e.project}/${e.name}`)).toContain("app/prod");
    expect(await outcome(envs.listEnvironments({ org: "default", pageSize: -1 }))).toEqual({ code: Code.InvalidArgument, message: "page_size: must not be negative" });
    expect(await outcome(envs.listEnvironments({ org: "default", pageToken: "'; --" }))).toEqual({ code: Code.InvalidArgument, message: "invalid page token" });
  });

  it.each([
    ["..", "environment: must not consist of dots only"],
    [".", "environment: must not consist of dots only"],
    ["../..", "environment: must be 1–100 letters, digits, '-', '_' or '.'"],
    ["%2e%2e", "environment: must be 1–100 letters, digits, '-', '_' or '.'"],
    ["..%2f..", "environment: must be 1–100 letters, digits, '-', '_' or '.'"],
    ["..\\..", "environment: must be 1–100 letters, digits, '-', '_' or '.'"],
  ])("refuses the traversal name %j on create and get", async (name, message) => {
    expect(await createEnv(name, "")).toEqual({ code: Code.InvalidArgument, message });
    const envs = clientFor(EnvironmentService, "grpc", server.url, server.token);
    expect(await outcome(envs.getEnvironment({ org: "default", project: "app", environment: name }))).toEqual({ code: Code.InvalidArgument, message });
    expect(await outcome(envs.getEnvironment({ org: name === "." ? "." : "../default", project: "app", environment: "prod" }))).toMatchObject({ code: Code.InvalidArgument });
  });

  it("answers SQL metacharacters in every string field of every RPC cleanly, and nothing is lost", async () => {
    const methods = contractServices.flatMap((s) => s.methods).filter((m) => m.methodKind === "unary");
    expect(methods.length).toBeGreaterThan(40);
    const broken: string[] = [];
    for (const method of methods) {
      for (const text of SQL_TEXT) {
        const code = await callConnectRaw(server.url, server.token, method, everyStringField(method, text), "proto");
        if (code === "internal" || code === "unknown" || code === "unavailable") broken.push(`${method.name} ${JSON.stringify(text)}: ${code}`);
      }
    }
    expect(broken).toEqual([]);
    await stillServing();
    // The tables are all there: a write and a read of each kind still work.
    const envs = clientFor(EnvironmentService, "connect", server.url, server.token);
    expect((await envs.createEnvironment({ org: "default", project: "after", environment: "sql", definition: "values: {a: 1}" })).environment?.name).toBe("sql");
  }, 120_000);

  it("keeps a Get of the raw request bytes cheap: a 1,000-field junk message is refused or ignored", async () => {
    // Unknown fields repeated many times: decoded and dropped, not stored.
    const junk = new Uint8Array(Array.from({ length: 1000 }, () => [0xfa, 0x3e, 0x01, 0x78]).flat());
    const valid = toBinary(GetEnvironmentRequestSchema, create(GetEnvironmentRequestSchema, { org: "default", project: "app", environment: "prod" }));
    expect(await callGrpcRaw(server.url, server.token, EnvironmentService.method.getEnvironment, new Uint8Array([...valid, ...junk]))).toBe("ok");
  });
});
