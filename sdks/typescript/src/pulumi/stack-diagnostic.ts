/** Something the resolver noticed: a warning of the environment's evaluation, or about the stack's configuration. */
export interface StackDiagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  /** Where: the environment (`<yaml>` is the stack's own `environment:` block) and position, when known. */
  readonly environment?: string;
  readonly line?: number;
  readonly column?: number;
  /** The property path the diagnostic is about, when known. */
  readonly path?: string;
}

/** `ENV:LINE:COLUMN: severity: summary (path)`, or `severity: summary` when it has no position. */
export function formatStackDiagnostic(d: StackDiagnostic): string {
  const where = d.environment === undefined ? "" : `${d.environment}${d.line !== undefined ? `:${d.line}:${d.column ?? 0}` : ""}: `;
  return `${where}${d.severity}: ${d.summary}${d.path !== undefined && d.path !== "" ? ` (${d.path})` : ""}`;
}
