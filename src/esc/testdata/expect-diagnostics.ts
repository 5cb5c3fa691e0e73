import { expect } from "vitest";
import { quick, rot128 } from "./harness.js";
import type { Decrypter } from "../interfaces.js";

const failing: Decrypter = { decrypt: () => { throw new Error("key unavailable"); } };

/**
 * Evaluates `yaml` (root `env`) in open mode with the test fixtures and asserts the exact diagnostic lines
 * (`ENV:LINE:COLUMN: severity: SUMMARY [path]`) and, when given, the redacted JSON.
 */
export async function expectDiagnostics(
  yaml: string, files: Record<string, string>, opts: { decrypter?: "failing" }, lines: string[], json: string | undefined,
): Promise<void> {
  const r = await quick(yaml, { decrypter: opts.decrypter === "failing" ? failing : rot128 }, files);
  expect(r.diags).toEqual(lines);
  if (json !== undefined) expect(r.json).toBe(json);
}
