// Fault (issue 9 §4): a provider that hangs. The `aws-secrets` provider is pointed at an endpoint that
// accepts connections and never answers. The open fails at the provider time-out with a diagnostic
// saying so (path, provider, time-out — no values), and the server keeps serving everything else
// meanwhile, including other resolves, while the hung calls are pending.
import { createServer, type Server, type Socket } from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";

const TIMEOUT_MS = 1500;

describe("a provider that never answers", () => {
  let blackHole: Server;
  const sockets = new Set<Socket>();
  let port = 0;
  let server: TestServer;
  beforeAll(async () => {
    blackHole = createServer((s) => {
      sockets.add(s); // accept, read, never answer
      s.on("close", () => sockets.delete(s));
      s.resume();
    });
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    port = (blackHole.address() as { port: number }).port;
    server = await startTestServer({ args: ["--provider-timeout-ms", String(TIMEOUT_MS)] });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });

  it("fails the open with a time-out diagnostic while the server keeps serving others", { timeout: 60_000 }, async () => {
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const hung = { org: "default", project: "faults", environment: "hung" };
    const fine = { org: "default", project: "faults", environment: "fine" };
    await env.createEnvironment({
      ...hung,
      definition: [
        "values:",
        "  aws:",
        "    fn::open::aws-secrets:",
        "      region: us-east-1",
        `      endpoint: http://127.0.0.1:${port}`,
        "      login:",
        "        accessKeyId: AKIAEXAMPLEEXAMPLE",
        "        secretAccessKey:",
        "          fn::secret: not-a-real-key",
        "      get:",
        "        db:",
        "          secretId: prod/db",
        "",
      ].join("\n"),
    });
    await env.createEnvironment({ ...fine, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });

    // three hung opens at once, and other traffic while they hang
    const pending = [1, 2, 3].map(() =>
      open.resolveEnvironment(hung).then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      ),
    );
    let served = 0;
    let settled = false;
    void Promise.all(pending).then(() => (settled = true));
    while (!settled) {
      expect((await open.resolveEnvironment(fine)).valueJson).toBe('{\n  "pw": "hunter2"\n}\n');
      expect((await env.getEnvironment(fine)).revision?.number).toBe(1n);
      served++;
    }
    const errors = await Promise.all(pending);
    expect(served).toBeGreaterThan(3);
    for (const e of errors) {
      expect(e?.code).toBe(Code.FailedPrecondition);
      expect(e?.rawMessage).toBe(`environment "default/faults/hung" has errors: 3:5: aws-secrets: no answer within ${TIMEOUT_MS}ms (the provider time-out)`);
      expect(e?.rawMessage).not.toContain("not-a-real-key");
    }
    expect(server.output()).not.toContain("not-a-real-key");
    // and once the hung calls are over, the next open of the hung environment fails the same bounded way
    const again = await open.resolveEnvironment(hung).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(again?.code).toBe(Code.FailedPrecondition);
  });
});
