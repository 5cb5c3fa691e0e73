// The load process of `npm run bench:load` (run in its own process, never inside the server's):
// mixed traffic — 80% ResolveEnvironment, 10% GetEnvironment, 5% ListEnvironments, 5% UpdateEnvironment —
// over h2c gRPC (@grpc/grpc-js) against one or more replicas, round-robin like a load balancer.
//
// Two modes: closed loop (`concurrency` callers back to back: the most the servers give) and open loop
// (`rate` calls per second on a fixed schedule whatever the answers do; latency counts from the scheduled
// start, so a stalled server cannot hide its queue: no coordinated omission).
// Input: one JSON argument (LoadPlan). Output: one JSON line (LoadReport) on stdout.
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";

export interface LoadPlan {
  readonly targets: readonly string[];
  readonly token: string;
  readonly seconds: number;
  /** Calls per second on a fixed schedule; 0 = closed loop with `concurrency` callers. */
  readonly rate: number;
  readonly concurrency: number;
  readonly org: string;
  readonly resolve: readonly { project: string; environment: string }[];
  readonly get: readonly { project: string; environment: string }[];
  readonly listProject: string;
  /** Environments only this process updates (each has one update in flight at most). */
  readonly update: readonly { project: string; environment: string }[];
}

export type Op = "resolve" | "get" | "list" | "update";
export interface OpReport {
  readonly count: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}
export interface LoadReport {
  readonly seconds: number;
  readonly rps: number;
  readonly total: number;
  readonly errors: number;
  readonly ops: Readonly<Record<Op, OpReport>>;
  /** Open loop: calls not started because 4096 were already in flight (counted as errors). */
  readonly shed: number;
  /** CPU seconds this load process used while it ran (user + system): what it took from the servers' cores. */
  readonly loadCpuSeconds: number;
}

type Unary = (req: object, md: grpc.Metadata, cb: (e: grpc.ServiceError | null, res?: Buffer) => void) => void;

function method<I extends DescMessage>(service: string, name: string, input: I): grpc.MethodDefinition<MessageShape<I>, Buffer> {
  return {
    path: `/${service}/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (v: MessageShape<I>) => Buffer.from(toBinary(input, create(input, v))),
    requestDeserialize: (b: Buffer) => fromBinary(input, b),
    // Responses stay bytes: decoding them would only measure this process.
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  };
}

const env = EnvironmentService.method;
const Client = grpc.makeGenericClientConstructor(
  {
    resolve: method(OpenService.typeName, "ResolveEnvironment", OpenService.method.resolveEnvironment.input),
    get: method(EnvironmentService.typeName, "GetEnvironment", env.getEnvironment.input),
    list: method(EnvironmentService.typeName, "ListEnvironments", env.listEnvironments.input),
    update: method(EnvironmentService.typeName, "UpdateEnvironment", env.updateEnvironment.input),
  },
  "load",
);

export async function runLoad(plan: LoadPlan): Promise<LoadReport> {
  const cpuAtStart = process.cpuUsage();
  // Two HTTP/2 connections per replica (grpc-js multiplexes one per channel).
  const channels = plan.targets.flatMap((t) =>
    [0, 1].map((i) => new Client(t, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1, "grpc.primary_user_agent": `load-${i}` }) as unknown as Record<Op, Unary> & { close(): void }),
  );
  const md = new grpc.Metadata();
  md.set("authorization", `Bearer ${plan.token}`);
  const latencies: Record<Op, number[]> = { resolve: [], get: [], list: [], update: [] };
  const errors: Record<Op, Record<string, number>> = { resolve: {}, get: {}, list: {}, update: {} };
  const lanes = plan.update.map((ref) => ({ ref, base: 1n, busy: false }));
  let next = 0;
  let shed = 0;
  // Each lane starts from its environment's latest revision (an earlier run may have moved it).
  await Promise.all(
    lanes.map(
      (lane) =>
        new Promise<void>((resolve, reject) =>
          (channels[0] as Record<Op, Unary>).get({ org: plan.org, ...lane.ref }, md, (e, res) => {
            if (e !== null || res === undefined) return reject(e ?? new Error("no response"));
            lane.base = fromBinary(env.getEnvironment.output, res).revision?.number ?? 1n;
            resolve();
          }),
        ),
    ),
  );

  const pick = (): Op => {
    const r = Math.random() * 100;
    return r < 80 ? "resolve" : r < 90 ? "get" : r < 95 ? "list" : "update";
  };
  const any = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

  /** One call; resolves when it ended. `scheduled` is when it should have started (open loop). */
  const call = (op: Op, scheduled: number): Promise<void> => {
    const channel = channels[next++ % channels.length] as Record<Op, Unary>;
    let req: object;
    let lane: (typeof lanes)[number] | undefined;
    if (op === "update") {
      lane = lanes.find((l) => !l.busy);
      if (lane === undefined) op = "get"; // every lane busy: this slot becomes a read
    }
    if (op === "update" && lane !== undefined) {
      lane.busy = true;
      req = { org: plan.org, ...lane.ref, definition: `values:\n  counter: ${lane.base}\n  note: load\n`, baseRevision: lane.base };
    } else if (op === "list") req = { org: plan.org, project: plan.listProject, pageSize: 20 };
    else req = { org: plan.org, ...any(op === "resolve" ? plan.resolve : plan.get) };
    const kind = op;
    return new Promise((resolve) => {
      channel[kind](req, md, (e, res) => {
        latencies[kind].push(performance.now() - scheduled);
        if (e !== null) {
          const code = grpc.status[e.code] ?? String(e.code);
          errors[kind][code] = (errors[kind][code] ?? 0) + 1;
        } else if (lane !== undefined && res !== undefined) {
          const number = fromBinary(env.updateEnvironment.output, res).revision?.number;
          if (number !== undefined) lane.base = number;
        }
        if (lane !== undefined) lane.busy = false;
        resolve();
      });
    });
  };

  const started = performance.now();
  const end = started + plan.seconds * 1000;
  if (plan.rate === 0) {
    const caller = async (): Promise<void> => {
      while (performance.now() < end) await call(pick(), performance.now());
    };
    await Promise.all(Array.from({ length: plan.concurrency }, caller));
  } else {
    let issued = 0;
    let inflight = 0;
    const pending = new Set<Promise<void>>();
    const interval = 1000 / plan.rate;
    while (performance.now() < end) {
      const now = performance.now();
      while (started + issued * interval <= now) {
        const scheduled = started + issued * interval;
        issued++;
        if (inflight >= 4096) {
          shed++;
          continue;
        }
        inflight++;
        const p = call(pick(), scheduled).then(() => {
          inflight--;
          pending.delete(p);
        });
        pending.add(p);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(pending);
  }
  const seconds = (performance.now() - started) / 1000;
  for (const c of channels) c.close();

  const report = (op: Op): OpReport => {
    const xs = latencies[op].sort((a, b) => a - b);
    const at = (p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
    return { count: xs.length, errors: errors[op], p50: at(50), p99: at(99), max: xs[xs.length - 1] ?? 0 };
  };
  const ops = { resolve: report("resolve"), get: report("get"), list: report("list"), update: report("update") };
  const total = Object.values(ops).reduce((n, o) => n + o.count, 0);
  const errorCount = Object.values(ops).reduce((n, o) => n + Object.values(o.errors).reduce((a, b) => a + b, 0), 0) + shed;
  const cpu = process.cpuUsage(cpuAtStart);
  return { seconds, rps: total / seconds, total, errors: errorCount, ops, shed, loadCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

if (process.argv[2] !== undefined) {
  const report = await runLoad(JSON.parse(process.argv[2]) as LoadPlan);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
