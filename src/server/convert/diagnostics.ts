import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Diagnostic as EscDiagnostic } from "../../esc/index.js";
import { DiagnosticSchema, DiagnosticsSchema, Diagnostic_Severity, type Diagnostic } from "../../gen/openesc/v1/diagnostic_pb.js";

/** One language diagnostic as a proto message (paths and positions only, never values). */
export function toDiagnostic(d: EscDiagnostic): Diagnostic {
  return create(DiagnosticSchema, {
    severity: d.severity === "error" ? Diagnostic_Severity.ERROR : Diagnostic_Severity.WARNING,
    summary: d.summary,
    path: d.path ?? "",
    range:
      d.range === undefined
        ? undefined
        : { environment: d.range.environment, begin: { ...d.range.begin }, end: { ...d.range.end } },
  });
}

/**
 * InvalidArgument for a refused definition: `definition: LINE:COLUMN: SUMMARY (and N more)` naming
 * the first error, with every diagnostic attached as `openesc.v1.Diagnostics`.
 */
export function definitionRefusal(
  diagnostics: readonly EscDiagnostic[],
  options: { readonly code?: Code; readonly prefix?: string } = {},
): ConnectError {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const first = errors[0] ?? diagnostics[0];
  const where = first?.range !== undefined && first.range.begin.line > 0 ? `${first.range.begin.line}:${first.range.begin.column}: ` : "";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return new ConnectError(`${options.prefix ?? "definition"}: ${where}${first?.summary ?? "invalid"}${more}`, options.code ?? Code.InvalidArgument, undefined, [
    { desc: DiagnosticsSchema, value: { diagnostics: diagnostics.map(toDiagnostic) } },
  ]);
}
