/** p50 and p99 of each call, in ms, over `samples` sequential calls after 20 warm-up calls. */
export async function sampleEach<Op extends string>(ops: readonly Op[], calls: Record<Op, () => Promise<unknown>>, samples: number): Promise<Record<Op, { p50: number; p99: number }>> {
  const out = {} as Record<Op, { p50: number; p99: number }>;
  for (const op of ops) {
    for (let i = 0; i < 20; i++) await calls[op](); // warm-up
    const xs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await calls[op]();
      xs.push(performance.now() - t);
    }
    xs.sort((a, b) => a - b);
    out[op] = { p50: xs[Math.floor(xs.length / 2)] as number, p99: xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] as number };
  }
  return out;
}
