import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "./server.js";

/**
 * Finds a helper binary installed by scripts/setup-tools.sh (./.tools/go/bin) or on PATH.
 * In CI a missing tool is a failure; elsewhere the caller skips loudly.
 */
export function findTool(name: string): string | undefined {
  const local = join(REPO_ROOT, ".tools/go/bin", name);
  if (existsSync(local)) return local;
  const which = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

/** Returns the tool, or throws in CI, or logs a loud skip notice and returns undefined. */
export function requireTool(name: string): string | undefined {
  const found = findTool(name);
  if (found !== undefined) return found;
  if (process.env.CI !== undefined) throw new Error(`${name} is required in CI: run scripts/setup-tools.sh`);
  console.warn(`\n*** ${name} not found: its tests are SKIPPED (run scripts/setup-tools.sh) ***\n`);
  return undefined;
}
