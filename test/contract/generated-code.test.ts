/**
 * The committed generated code is exactly what `npm run generate` makes from proto/ today:
 * a fresh generation into a temporary folder must match every committed file byte for byte,
 * with no file missing and none extra.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { GENERATED_DIRS, ROOT, SETUP_TOOLS_FIX, missingFiles, missingToolchain, run } from "./support.js";

/** Every plugin and compiler that buf.gen.yaml and buf.gen.server.yaml call, relative to the root. */
const GENERATORS = [
  "node_modules/.bin/buf",
  "node_modules/.bin/protoc-gen-es",
  ".tools/go/bin/protoc-gen-go",
  ".tools/go/bin/protoc-gen-connect-go",
  ".tools/bin/protoc",
  ".tools/venv/bin/protoc-gen-connectrpc",
];

/** Byte caches a Python import may leave beside the sources; git ignores them too. */
const IGNORED = (name: string): boolean => name === "__pycache__" || name.endsWith(".pyc");

/** Paths of all files below `dir`, relative to `base`, sorted; [] when `dir` does not exist. */
function listFiles(base: string, dir: string): string[] {
  const abs = join(base, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (IGNORED(entry.name)) continue;
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.push(relative(base, p));
    }
  };
  walk(abs);
  return out.sort();
}

describe("generated code", () => {
  test("regenerating from proto/ reproduces the committed files exactly", (ctx) => {
    const missing = missingFiles(GENERATORS);
    if (missing.length > 0) {
      missingToolchain(ctx, `code generators missing: ${missing.join(", ")}`, SETUP_TOOLS_FIX);
    }
    const out = mkdtempSync(join(tmpdir(), "openesc-regen-"));
    try {
      const gen = run("bash", ["scripts/generate.sh", "--output", out], { timeoutMs: 240_000 });
      expect(gen.status, gen.report).toBe(0);

      const problems: string[] = [];
      for (const dir of GENERATED_DIRS) {
        const committed = listFiles(ROOT, dir);
        const fresh = listFiles(out, dir);
        if (fresh.length === 0) problems.push(`${dir}: generation produced nothing`);
        const committedSet = new Set(committed);
        const freshSet = new Set(fresh);
        for (const f of fresh) if (!committedSet.has(f)) problems.push(`missing from the repository: ${f}`);
        for (const f of committed) if (!freshSet.has(f)) problems.push(`stale (no longer generated): ${f}`);
        for (const f of fresh) {
          if (committedSet.has(f) && !readFileSync(join(ROOT, f)).equals(readFileSync(join(out, f)))) {
            problems.push(`differs from a fresh generation: ${f}`);
          }
        }
      }
      expect(
        problems,
        "generated code is out of date: run `npm run generate` and commit the result\n" + problems.join("\n"),
      ).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
