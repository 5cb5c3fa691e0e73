import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

const RESULTS = join(import.meta.dirname, "..", "RESULTS.md");

/** One line describing this machine, for every results section. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? "unknown cpu";
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform}`;
}

/**
 * Replaces (or appends) the section `<!-- bench:NAME -->…<!-- /bench:NAME -->` of bench/RESULTS.md,
 * so that each benchmark rewrites only its own figures.
 */
export function writeResultsSection(name: string, markdown: string): void {
  // BENCH_DRY_RUN=1: measure without touching the recorded figures (trying a change out).
  if (process.env.BENCH_DRY_RUN === "1") return;
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "# Benchmark results\n\nEach section is rewritten by its `npm run bench:*` script.\n";
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  const next = start >= 0 && stop > start ? current.slice(0, start) + block + current.slice(stop + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, next);
}
