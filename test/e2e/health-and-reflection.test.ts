import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../src/gen/grpc/health/v1/health_pb.js";
import * as v1 from "../../src/gen/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../src/gen/grpc/reflection/v1alpha/reflection_pb.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

async function* requests<T>(...items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe("grpc.health.v1.Health", () => {
  it("answers Check without a token, NOT_FOUND for unknown services", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: server.url }));
    expect((await health.check({})).status).toBe(Status.SERVING);
    expect((await health.check({ service: "openesc.v1.EnvironmentService" })).status).toBe(Status.SERVING);
    await expect(health.check({ service: "nope.Service" })).rejects.toThrow(/unknown service nope.Service/);
  });

  it("streams Watch: the current status first", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: server.url }));
    const abort = new AbortController();
    const seen: Status[] = [];
    try {
      for await (const r of health.watch({}, { signal: abort.signal })) {
        seen.push(r.status);
        abort.abort();
      }
    } catch {
      // cancelled by us
    }
    expect(seen).toEqual([Status.SERVING]);
  });
});

describe.each([
  ["v1", v1.ServerReflection],
  ["v1alpha", v1alpha.ServerReflection],
] as const)("server reflection %s", (_name, service) => {
  it("lists services and returns a file with its dependencies", async () => {
    const reflection = createClient(service as typeof v1.ServerReflection, createGrpcTransport({ baseUrl: server.url }));
    const responses = [];
    for await (const r of reflection.serverReflectionInfo(
      requests(
        { messageRequest: { case: "listServices", value: "" } },
        { messageRequest: { case: "fileContainingSymbol", value: "openesc.v1.EnvironmentService" } },
        { messageRequest: { case: "fileContainingSymbol", value: "openesc.v1.Nope" } },
      ),
    )) {
      responses.push(r);
    }
    expect(responses).toHaveLength(3);
    const list = responses[0]?.messageResponse;
    expect(list?.case === "listServicesResponse" && list.value.service.map((s) => s.name)).toContain("openesc.v1.EnvironmentService");
    const files = responses[1]?.messageResponse;
    const names = files?.case === "fileDescriptorResponse" ? files.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name) : [];
    expect(names[0]).toBe("openesc/v1/environment.proto");
    expect(names).toContain("google/protobuf/timestamp.proto");
    expect(names).toContain("openesc/v1/revision.proto");
    const missing = responses[2]?.messageResponse;
    expect(missing?.case === "errorResponse" && [missing.value.errorCode, missing.value.errorMessage]).toEqual([5, "symbol openesc.v1.Nope not found"]);
  });
});
