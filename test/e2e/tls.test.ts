import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { startTestServer, type TestServer } from "../support/server.js";

// A self-signed certificate for 127.0.0.1, made by the openssl command line for this run only.
const dir = mkdtempSync(join(tmpdir(), "openesc-tls-"));
const cert = join(dir, "cert.pem");
const key = join(dir, "key.pem");
execFileSync("openssl", [
  "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
  "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
], { stdio: "ignore" });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ args: ["--tls-cert", cert, "--tls-key", key] });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("TLS on the one port", () => {
  const ca = () => readFileSync(cert);
  const auth = (token: string) => [(next: (r: { header: Headers }) => unknown) => (req: { header: Headers }) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  }];

  it("serves https URLs", () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("serves gRPC over HTTP/2 (ALPN h2)", async () => {
    const transport = createGrpcTransport({ baseUrl: server.url, nodeOptions: { ca: ca() }, interceptors: auth(server.token) as never });
    const me = await createClient(IdentityService, transport).whoAmI({});
    expect(me.login).toBe("admin");
  });

  it("serves Connect over HTTP/1.1 (ALPN http/1.1)", async () => {
    const transport = createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", nodeOptions: { ca: ca() }, interceptors: auth(server.token) as never });
    const me = await createClient(IdentityService, transport).whoAmI({});
    expect(me.org).toBe("default");
  });

  it("refuses a client that does not trust the certificate", async () => {
    const transport = createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: auth(server.token) as never });
    await expect(createClient(IdentityService, transport).whoAmI({})).rejects.toThrow(/self-signed|certificate/i);
  });
});
