import { execFile } from "node:child_process";
import { create, fromBinary, toBinary, type DescMessage, type DescMethod } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { requireTool } from "../support/tools.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

/** A plain @grpc/grpc-js client: its own HTTP/2 stack and framing, only the messages are ours. */
function grpcJsCall(method: DescMethod, request: object, token?: string): Promise<{ error?: grpc.ServiceError; response?: unknown }> {
  const ser = (d: DescMessage) => (v: unknown) => Buffer.from(toBinary(d, create(d, v as never)));
  const de = (d: DescMessage) => (b: Buffer) => fromBinary(d, b);
  const Ctor = grpc.makeGenericClientConstructor(
    {
      call: {
        path: `/${method.parent.typeName}/${method.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: ser(method.input),
        requestDeserialize: de(method.input),
        responseSerialize: ser(method.output),
        responseDeserialize: de(method.output),
      },
    },
    method.parent.typeName,
  );
  const client = new Ctor(new URL(server.url).host, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  if (token !== undefined) md.set("authorization", `Bearer ${token}`);
  return new Promise((resolve) => {
    (client as unknown as { call: (r: object, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, r?: unknown) => void) => void }).call(request, md, (error, response) => {
      client.close();
      resolve(error === null ? { response } : { error });
    });
  });
}

describe("@grpc/grpc-js as an independent client", () => {
  it("creates and reads an environment", async () => {
    const m = EnvironmentService.method;
    const created = await grpcJsCall(m.createEnvironment, { org: "default", project: "grpcjs", environment: "dev", definition: "values:\n  a: 1\n" }, server.token);
    expect(created.error).toBeUndefined();
    const got = await grpcJsCall(m.getEnvironment, { org: "default", project: "grpcjs", environment: "dev" }, server.token);
    expect((got.response as { revision: { definition: string } }).revision.definition).toBe("values:\n  a: 1\n");
  });

  it("gets exact status codes and messages", async () => {
    const m = EnvironmentService.method;
    const missing = await grpcJsCall(m.getEnvironment, { org: "default", project: "grpcjs", environment: "nope" }, server.token);
    expect([missing.error?.code, missing.error?.details]).toEqual([grpc.status.NOT_FOUND, 'environment "default/grpcjs/nope" not found']);
    const anonymous = await grpcJsCall(m.getEnvironment, { org: "default", project: "grpcjs", environment: "dev" });
    expect(anonymous.error?.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe("grpcurl through reflection", () => {
  const grpcurl = requireTool("grpcurl");
  // Asynchronous, so this worker keeps draining the server's log pipe while grpcurl runs.
  const run = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(grpcurl as string, ["-plaintext", ...args], { encoding: "utf8", timeout: 20_000 }, (error, stdout, stderr) => {
        resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
      });
    });

  it.skipIf(grpcurl === undefined)("lists every service", async () => {
    const out = await run(new URL(server.url).host, "list");
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split("\n")).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "openesc.v1.AuditService",
      "openesc.v1.EnvironmentService",
      "openesc.v1.EnvironmentTagService",
      "openesc.v1.GrantService",
      "openesc.v1.IdentityService",
      "openesc.v1.MemberService",
      "openesc.v1.OpenService",
      "openesc.v1.OrganizationService",
      "openesc.v1.ProviderService",
      "openesc.v1.RevisionService",
      "openesc.v1.RevisionTagService",
      "openesc.v1.ServiceAccountService",
      "openesc.v1.TeamService",
      "openesc.v1.TokenService",
      "openesc.v1.TrustPolicyService",
    ]);
  });

  it.skipIf(grpcurl === undefined)("describes a method and calls it with no proto files", async () => {
    const described = await run(new URL(server.url).host, "describe", "openesc.v1.EnvironmentService.CreateEnvironment");
    expect(described.status).toBe(0);
    expect(described.stdout).toContain("rpc CreateEnvironment ( .openesc.v1.CreateEnvironmentRequest ) returns ( .openesc.v1.CreateEnvironmentResponse )");
    const created = await run(
      "-H", `authorization: Bearer ${server.token}`,
      "-d", JSON.stringify({ org: "default", project: "grpcurl", environment: "dev", definition: "values:\n  x: 1\n" }),
      new URL(server.url).host, "openesc.v1.EnvironmentService/CreateEnvironment",
    );
    expect(created.stderr).toBe("");
    expect(JSON.parse(created.stdout).environment.revision).toBe("1");
    const health = await run(new URL(server.url).host, "grpc.health.v1.Health/Check");
    expect(JSON.parse(health.stdout)).toEqual({ status: "SERVING" });
    const denied = await run(new URL(server.url).host, "openesc.v1.IdentityService/WhoAmI");
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toContain("Code: Unauthenticated");
  });
});
