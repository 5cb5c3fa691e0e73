// The resolve cache (src/server/cache/resolve-cache.ts) through the real server: a cached answer is
// the same answer on every protocol (gRPC sends the cached bytes as they are; Connect and gRPC-Web
// decode them), and every change the answer depends on — even two imports deep — shows on the next call.
import { toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService, ResolveEnvironmentResponseSchema } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor, PROTOCOLS } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("resolving an unchanged environment again (SQLite)", () => {
  let server: TestServer;
  const app = { org: "default", project: "cache", environment: "app" };
  beforeAll(async () => {
    server = await startTestServer();
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    await env.createEnvironment({ org: "default", project: "cache", environment: "base", definition: "values:\n  region: eu-west-1\n  pw:\n    fn::secret: hunter2\n" });
    await env.createEnvironment({ org: "default", project: "cache", environment: "mid", definition: "imports: [cache/base]\nvalues:\n  url: https://${region}.example.com\n" });
    await env.createEnvironment({ ...app, definition: "imports: [cache/mid]\nvalues:\n  environmentVariables:\n    URL: ${url}\n    PW: ${pw}\n" });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("gives the same answer, byte for byte, on every protocol, first call or cached", async () => {
    const first = await clientFor(OpenService, "grpc", server.url, server.token).resolveEnvironment(app);
    expect(first.environmentVariables).toEqual({
      URL: expect.objectContaining({ value: "https://eu-west-1.example.com", secret: false }),
      PW: expect.objectContaining({ value: "hunter2", secret: true }),
    });
    expect(first.revision).toBe(1n);
    const expected = toBinary(ResolveEnvironmentResponseSchema, first);
    for (const protocol of [...PROTOCOLS, ...PROTOCOLS]) {
      const again = await clientFor(OpenService, protocol, server.url, server.token).resolveEnvironment(app);
      expect(Buffer.from(toBinary(ResolveEnvironmentResponseSchema, again)).equals(Buffer.from(expected)), protocol).toBe(true);
    }
  });

  it("shows a change two imports deep on the very next call", async () => {
    const open = clientFor(OpenService, "grpc", server.url, server.token);
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    expect((await open.resolveEnvironment(app)).environmentVariables.URL?.value).toBe("https://eu-west-1.example.com");
    await env.updateEnvironment({ org: "default", project: "cache", environment: "base", definition: "values:\n  region: us-east-2\n  pw:\n    fn::secret: swordfish\n", baseRevision: 1n });
    const after = await open.resolveEnvironment(app);
    expect(after.environmentVariables.URL?.value).toBe("https://us-east-2.example.com");
    expect(after.environmentVariables.PW?.value).toBe("swordfish");
    expect(after.revision).toBe(1n); // the root did not change
  });
});
