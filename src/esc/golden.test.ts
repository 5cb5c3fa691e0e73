import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diagLines, jsonOf, run } from "./testdata/harness.js";
import { environmentVariables, files, renderDotenv } from "./projection.js";
import type { ExecutionContext } from "./interfaces.js";

const ROOT = fileURLToPath(new URL("./testdata/eval/", import.meta.url));
const ACCEPT = process.env["OPENESC_ACCEPT"] === "1";

interface Expected {
  open: string;
  revealed: string;
  check: string;
  checkRevealed: string;
  openDiagnostics: string[];
  checkDiagnostics: string[];
  dotenv: string;
  dotenvCheck: string;
}

async function compute(dir: string): Promise<Expected> {
  const fileSet: Record<string, string> = {};
  for (const f of readdirSync(dir)) {
    if (f.endsWith(".yaml")) fileSet[f === "env.yaml" ? f : f.slice(0, -5)] = readFileSync(join(dir, f), "utf8");
  }
  const optsPath = join(dir, "options.json");
  const opts = existsSync(optsPath) ? (JSON.parse(readFileSync(optsPath, "utf8")) as { context?: ExecutionContext; name?: string }) : {};
  const base = { ...(opts.context ? { context: opts.context } : {}), ...(opts.name ? { name: opts.name } : {}) };
  const open = await run(fileSet, { ...base, mode: "open" });
  const check = await run(fileSet, { ...base, mode: "check" });
  const dot = (r: typeof open, redact: boolean, pretend: boolean): string => {
    const v = r.environment?.value;
    const fs = files(v).map((f) => ({ ...f, secret: false, value: pretend ? "[unknown]" : "/tmp/esc-123456" }));
    return renderDotenv({ variables: environmentVariables(v), files: fs }, { redact });
  };
  return {
    open: jsonOf(open),
    revealed: jsonOf(open, false),
    check: jsonOf(check),
    checkRevealed: jsonOf(check, false),
    openDiagnostics: diagLines(open.diagnostics, opts.name ?? "env"),
    checkDiagnostics: diagLines(check.diagnostics, opts.name ?? "env"),
    dotenv: dot(open, false, false),
    dotenvCheck: dot(check, true, true),
  };
}

describe("golden evaluation cases (testdata/eval)", () => {
  for (const name of readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, "env.yaml"))).sort()) {
    it(name, async () => {
      const dir = join(ROOT, name);
      const actual = await compute(dir);
      const file = join(dir, "expected.json");
      if (ACCEPT || !existsSync(file)) writeFileSync(file, JSON.stringify(actual, null, 2) + "\n");
      const expected = JSON.parse(readFileSync(file, "utf8")) as Expected;
      expect(actual).toEqual(expected);
    });
  }
});
