// A bare @grpc/grpc-js server answering GetEnvironment with a constant message of the same shape:
// the ceiling the native gRPC path is compared against (design/PERFORMANCE.md). Run as its own process.
import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { EnvironmentService, GetEnvironmentResponseSchema } from "../../src/gen/openesc/v1/environment_pb.js";

const method = EnvironmentService.method.getEnvironment;
const response = Buffer.from(
  toBinary(
    GetEnvironmentResponseSchema,
    create(GetEnvironmentResponseSchema, {
      environment: { org: "default", project: "bench", name: "dev", revision: 1n, etag: '"default/bench/dev@1"', createdBy: "admin", updatedBy: "admin" },
      revision: { number: 1n, definition: process.env.BENCH_DEFINITION ?? "", author: "admin", tags: ["latest"] },
    }),
  ),
);
const server = new grpc.Server();
server.addService(
  {
    getEnvironment: {
      path: `/${EnvironmentService.typeName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestDeserialize: (b: Buffer) => fromBinary(method.input, b),
      requestSerialize: () => Buffer.alloc(0),
      responseSerialize: (b: Buffer) => b,
      responseDeserialize: (b: Buffer) => b,
    },
  } as grpc.ServiceDefinition,
  { getEnvironment: (_call: unknown, cb: grpc.sendUnaryData<Buffer>) => cb(null, response) },
);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err !== null) throw err;
  process.stdout.write(`PORT ${port}\n`);
});
