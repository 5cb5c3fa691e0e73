// Preloaded into a server process (NODE_OPTIONS=--require …) when BENCH_PROFILE=1: records a CPU
// profile with the inspector and writes it to $BENCH_PROFILE_DIR at exit, one per thread (--cpu-prof is not
// allowed in NODE_OPTIONS).
const inspector = require("node:inspector");
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 200 });
session.post("Profiler.start");
process.on("exit", () => {
  session.post("Profiler.stop", (err, result) => {
    if (err === null) writeFileSync(join(process.env.BENCH_PROFILE_DIR || ".", `server-${process.pid}${require("node:worker_threads").isMainThread ? "" : `-thread${require("node:worker_threads").threadId}`}.cpuprofile`), JSON.stringify(result.profile));
  });
});
