/**
 * Commands against an in-process fake server (connect's router transport): the cases a real
 * server cannot be made to produce on cue — a stale base during `env set`, many pages, every
 * error code the CLI maps.
 */
import { Writable } from "node:stream";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport, type ConnectRouter } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createClientsOver } from "../../src/cli/client.js";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { EnvironmentSchema, EnvironmentService, type UpdateEnvironmentRequest } from "../../src/gen/openesc/v1/environment_pb.js";
import { RevisionSchema } from "../../src/gen/openesc/v1/revision_pb.js";

async function run(argv: string[], routes: (router: ConnectRouter) => void): Promise<{ exit: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  const transport = createRouterTransport(routes);
  const ctx: CliContext = {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: process.stdin,
    env: {},
    isTTY: false,
    clients: () => createClientsOver(transport, "http://fake", "default"),
  };
  const exit = await main(argv, ctx);
  return { exit, stdout, stderr };
}

const DEFINITION = "values:\n  a: 1 # keep me\n";
const latest = () => ({
  environment: create(EnvironmentSchema, { org: "default", project: "payments", name: "dev", revision: 1n }),
  revision: create(RevisionSchema, { number: 1n, definition: DEFINITION }),
});

describe("env set (in process)", () => {
  it("sends the edited definition with the revision it read", async () => {
    let sent: UpdateEnvironmentRequest | undefined;
    const out = await run(["env", "set", "payments/dev", "b", "2"], (r) =>
      r.service(EnvironmentService, {
        getEnvironment: latest,
        updateEnvironment: (req) => {
          sent = req;
          return { revision: { number: 2n } };
        },
      }),
    );
    expect(out).toEqual({ exit: 0, stdout: "Set values.b of default/payments/dev (revision 2).\n", stderr: "" });
    expect(sent?.baseRevision).toBe(1n);
    expect(sent?.definition).toBe("values:\n  a: 1 # keep me\n  b: 2\n");
  });

  it("refuses a stale base clearly and writes nothing", async () => {
    const out = await run(["env", "set", "payments/dev", "a", "2"], (r) =>
      r.service(EnvironmentService, {
        getEnvironment: latest,
        updateEnvironment: () => {
          throw new ConnectError("base revision 1 is stale: latest is 2", Code.Aborted);
        },
      }),
    );
    expect(out).toEqual({
      exit: 1,
      stdout: "",
      stderr:
        "error: default/payments/dev changed after revision 1 was read (base revision 1 is stale: latest is 2); nothing was saved, run the command again\n",
    });
  });
});

describe("env ls (in process)", () => {
  it("follows page tokens to the last page", async () => {
    const pages: Record<string, { names: string[]; next: string }> = { "": { names: ["a", "b"], next: "p2" }, p2: { names: ["c"], next: "" } };
    const out = await run(["env", "ls"], (r) =>
      r.service(EnvironmentService, {
        listEnvironments: (req) => {
          const page = pages[req.pageToken] as { names: string[]; next: string };
          return { environments: page.names.map((name) => ({ org: "default", project: "p", name })), nextPageToken: page.next };
        },
      }),
    );
    expect(out).toEqual({ exit: 0, stdout: "default/p/a\ndefault/p/b\ndefault/p/c\n", stderr: "" });
  });
});

describe("error codes (in process)", () => {
  const cases: [Code, string, string][] = [
    [Code.NotFound, 'environment "default/payments/dev" not found', 'error: environment "default/payments/dev" not found\n'],
    [Code.FailedPrecondition, "is deletion-protected", "error: is deletion-protected\n"],
    [Code.Unauthenticated, "token expired", "error: not authenticated: token expired (log in with `openesc login URL`)\n"],
    [Code.PermissionDenied, "no write on default/payments/dev", "error: permission denied: no write on default/payments/dev\n"],
    [Code.Unavailable, "connect ECONNREFUSED 127.0.0.1:8080", "error: cannot reach the server: connect ECONNREFUSED 127.0.0.1:8080\n"],
    [Code.Internal, "internal error (request id r1)", "error: internal error (request id r1)\n"],
  ];
  it.each(cases)("code %i exits 1 with one line", async (code, message, stderr) => {
    const out = await run(["env", "rm", "payments/dev", "-y"], (r) =>
      r.service(EnvironmentService, {
        deleteEnvironment: () => {
          throw new ConnectError(message, code);
        },
      }),
    );
    expect(out).toEqual({ exit: 1, stdout: "", stderr });
  });
});
