// Load generator for UpdateEnvironment, in its own process: 32 lanes, each updating its own
// environment with the correct base revision (ghz cannot carry a per-lane revision).
// Uses @grpc/grpc-js over h2c. Prints one JSON line: {count, errors, rps, p50, p99}.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { EnvironmentService, UpdateEnvironmentRequestSchema } from "../../src/gen/openesc/v1/environment_pb.js";

const [address, token, project, lanesArg, secondsArg] = process.argv.slice(2) as [string, string, string, string, string];
const lanes = Number(lanesArg);
const seconds = Number(secondsArg);
const method = EnvironmentService.method.updateEnvironment;
const Client = grpc.makeGenericClientConstructor(
  {
    update: {
      path: `/${EnvironmentService.typeName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: object) => Buffer.from(toBinary(UpdateEnvironmentRequestSchema, create(UpdateEnvironmentRequestSchema, v))),
      requestDeserialize: (b: Buffer) => fromBinary(UpdateEnvironmentRequestSchema, b),
      responseSerialize: (b: Buffer) => b,
      responseDeserialize: (b: Buffer) => fromBinary(method.output, b),
    },
  },
  "bench",
);
const client = new Client(address, grpc.credentials.createInsecure()) as unknown as {
  update(req: object, md: grpc.Metadata, cb: (e: grpc.ServiceError | null) => void): void;
  close(): void;
};
const md = new grpc.Metadata();
md.set("authorization", `Bearer ${token}`);
const latencies: number[] = [];
let errors = 0;
const deadline = Date.now() + seconds * 1000;

async function lane(i: number): Promise<void> {
  let base = 1n;
  while (Date.now() < deadline) {
    const started = performance.now();
    const ok = await new Promise<boolean>((resolve) =>
      client.update({ org: "default", project, environment: `lane-${i}`, definition: `values:\n  counter: ${base}\n  lane: ${i}\n`, baseRevision: base }, md, (e) => resolve(e === null)),
    );
    latencies.push(performance.now() - started);
    if (ok) base++;
    else errors++;
  }
}

const t0 = Date.now();
await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
const elapsed = (Date.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
process.stdout.write(JSON.stringify({ count: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(50), p99: pct(99) }) + "\n");
client.close();
