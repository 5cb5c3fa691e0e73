import type { Range } from "./range.js";

/** Diagnostic severity (upstream numbers them 1 and 2). */
export type Severity = "error" | "warning";

/** A problem found in a definition: summary text, optional range (§1.4) and document path (§1.5). */
export interface Diagnostic {
  readonly severity: Severity;
  readonly summary: string;
  readonly range?: Range;
  readonly path?: string;
}

/** Where a diagnostic points: a range and a document path. */
export interface Location {
  readonly range?: Range;
  readonly path?: string;
}

/** Builds an error diagnostic at a location. */
export function errorAt(loc: Location | undefined, summary: string): Diagnostic {
  return { severity: "error", summary, ...(loc?.range ? { range: loc.range } : {}), ...(loc?.path !== undefined ? { path: loc.path } : {}) };
}

/** Builds a warning diagnostic at a location. */
export function warningAt(loc: Location | undefined, summary: string): Diagnostic {
  return { ...errorAt(loc, summary), severity: "warning" };
}

/** True when any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/**
 * Formats a diagnostic as one CLI line: `ENV:LINE:COLUMN: error: SUMMARY`, or `ENV: error: SUMMARY` without a range.
 * `fallbackEnvironment` names the environment when the diagnostic has no range.
 */
export function formatDiagnostic(d: Diagnostic, fallbackEnvironment: string): string {
  if (d.range && d.range.begin.line > 0) {
    return `${d.range.environment}:${d.range.begin.line}:${d.range.begin.column}: ${d.severity}: ${d.summary}`;
  }
  return `${d.range?.environment ?? fallbackEnvironment}: ${d.severity}: ${d.summary}`;
}
