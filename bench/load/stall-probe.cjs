// Preloaded into a server process (NODE_OPTIONS=--require …) when BENCH_STALLS=1: measures how long
// the event loop was blocked (perf_hooks' delay histogram, and every gap over 5 ms with the GC pauses
// that fell in it) and writes a JSON summary to $BENCH_STALLS_DIR at exit. A tail latency far above
// the CPU a call costs comes from such stalls or from queueing; this tells them apart.
const { monitorEventLoopDelay, PerformanceObserver, performance } = require("node:perf_hooks");
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const gcs = [];
const majors = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = e.detail?.kind ?? e.kind;
    gcs.push({ start: e.startTime, ms: e.duration, kind });
    if (kind !== 1) majors.push({ at: +(e.startTime / 1000).toFixed(2), ms: +e.duration.toFixed(1), kind, usedMiB: +(require("node:v8").getHeapStatistics().used_heap_size / 2 ** 20).toFixed(1) });
  }
}).observe({ entryTypes: ["gc"] });
const gaps = [];
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - last > 6) gaps.push({ start: last, ms: now - last - 1 });
  last = now;
}, 1).unref();
process.on("exit", () => {
  const pct = (p) => histogram.percentile(p) / 1e6;
  const kinds = { 1: "scavenge", 2: "mark-compact", 4: "incremental", 8: "weak-callbacks" };
  const byKind = {};
  for (const g of gcs) {
    const k = kinds[g.kind] ?? String(g.kind);
    const s = (byKind[k] ??= { count: 0, totalMs: 0, maxMs: 0 });
    s.count++;
    s.totalMs += g.ms;
    s.maxMs = Math.max(s.maxMs, g.ms);
  }
  const withGc = gaps.map((g) => ({ ...g, gcMs: gcs.filter((x) => x.start >= g.start && x.start < g.start + g.ms).reduce((a, x) => a + x.ms, 0) }));
  const summary = {
    heapMiB: Object.fromEntries(require("node:v8").getHeapSpaceStatistics().map((h) => [h.space_name, +(h.space_used_size / 2 ** 20).toFixed(1)])),
    exitAtSeconds: +(performance.now() / 1000).toFixed(2),
    loopDelayMs: { p50: pct(50), p99: pct(99), p999: pct(99.9), max: histogram.max / 1e6 },
    gc: byKind,
    majors,
    gapsOver5ms: withGc.length,
    gapsOver20ms: withGc.filter((g) => g.ms > 20).length,
    worstGaps: withGc.sort((a, b) => b.ms - a.ms).slice(0, 15).map((g) => ({ ms: +g.ms.toFixed(1), gcMs: +g.gcMs.toFixed(1), at: +(g.start / 1000).toFixed(2) })),
  };
  writeFileSync(join(process.env.BENCH_STALLS_DIR || ".", `stalls-${process.pid}${require("node:worker_threads").isMainThread ? "" : `-thread${require("node:worker_threads").threadId}`}.json`), JSON.stringify(summary, null, 1));
});
