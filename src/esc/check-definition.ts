import type { Diagnostic } from "./diagnostic.js";
import { evaluateEnvironment, type EnvironmentResult, type EvaluateOptions } from "./evaluate.js";

/** Options of {@link checkDefinition}: those of evaluation, without the mode. */
export type CheckOptions = Omit<EvaluateOptions, "mode" | "name" | "rotatePaths">;

/** The outcome of {@link checkDefinition}. */
export interface CheckResult {
  /** Every diagnostic (parse first), each with severity, summary, optional range and path. */
  readonly diagnostics: readonly Diagnostic[];
  /** The check-mode environment (§14.2), null when there is none. */
  readonly environment: EnvironmentResult | null;
  /** True when any diagnostic is an error: a host must refuse to store the definition. */
  readonly hasErrors: boolean;
}

/**
 * Checks a definition for the server's save path and `CheckEnvironment` (esc-language.md §14.2): no provider is
 * called; ciphertext is decrypted only with `showSecrets`. Never throws for any input.
 */
export async function checkDefinition(yamlText: string | Uint8Array, name: string, options: CheckOptions = {}): Promise<CheckResult> {
  const r = await evaluateEnvironment(yamlText, { ...options, name, mode: "check" });
  return { diagnostics: r.diagnostics, environment: r.environment, hasErrors: r.diagnostics.some((d) => d.severity === "error") };
}
