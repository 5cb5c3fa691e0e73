import { Code, ConnectError } from "@connectrpc/connect";
import { DiagnosticsSchema, Diagnostic_Severity, type Diagnostic } from "../gen/openesc/v1/diagnostic_pb.js";
import { CliError, type CliContext } from "./context.js";

/**
 * Turns a failed RPC into the one-line error the CLI prints (exit 1). Messages of refusals the
 * user can act on (NotFound, AlreadyExists, InvalidArgument…) are the server's own; transport and
 * authentication failures get a hint. Definition diagnostics become `ENV:LINE:COLUMN: error: …`
 * detail lines; `name` replaces the bare environment name the server puts in their ranges.
 */
export function rpcError(e: unknown, name?: string): CliError {
  if (e instanceof CliError) return e;
  const err = ConnectError.from(e);
  // a CliError thrown inside the transport (no server or token known) comes back as the cause
  if (err.cause instanceof CliError) return err.cause;
  const message = err.rawMessage;
  if (isTlsFailure(err.cause)) {
    return new CliError(`cannot verify the server's TLS certificate: ${message} (pass --ca-file FILE, or --insecure)`);
  }
  switch (err.code) {
    case Code.Unauthenticated:
      return new CliError(`not authenticated: ${message} (log in with \`openesc login URL\`)`);
    case Code.PermissionDenied:
      return new CliError(`permission denied: ${message}`);
    case Code.Unavailable:
      return new CliError(`cannot reach the server: ${message}`);
    case Code.DeadlineExceeded:
      return new CliError(`the server did not answer in time: ${message}`);
    case Code.Unimplemented:
      return new CliError(`the server does not support this operation: ${message}`);
    case Code.InvalidArgument: {
      // the diagnostics say what is wrong and where; the error line sums them up
      const lines = diagnosticLines(err, name);
      if (lines.length === 0) return new CliError(message);
      const errors = lines.filter((l) => / error: /.test(l)).length;
      return new CliError(`invalid definition${name !== undefined ? ` for ${name}` : ""}: ${errors} error${errors === 1 ? "" : "s"}`, 1, lines);
    }
    default:
      return new CliError(message);
  }
}

/** The `ENV:LINE:COLUMN: error: summary` lines of a definition refusal (none when it has no details). */
export function diagnosticLines(err: ConnectError, name?: string): string[] {
  return err.findDetails(DiagnosticsSchema).flatMap(({ diagnostics }) => diagnostics.map((d) => formatDiagnostic(d, name)));
}

/**
 * `ENV:LINE:COLUMN: error|warning: summary (path)`. `name` stands for the environment the
 * diagnostic is about when it is that of the command (the server names it without org/project).
 */
export function formatDiagnostic(d: Diagnostic, name?: string): string {
  const severity = d.severity === Diagnostic_Severity.WARNING ? "warning" : "error";
  const own = d.range === undefined || d.range.environment === "" || name === undefined || name.endsWith(`/${d.range.environment}`);
  const env = own ? (name ?? "definition") : (d.range?.environment as string);
  const at = d.range?.begin === undefined ? "" : `:${d.range.begin.line}:${d.range.begin.column}`;
  return `${env}${at}: ${severity}: ${d.summary}${d.path !== "" ? ` (${d.path})` : ""}`;
}

/** Prints the warnings a server returned with an accepted definition, one line each, on stderr. */
export function writeWarnings(ctx: CliContext, diagnostics: readonly Diagnostic[], name: string): void {
  for (const d of diagnostics) ctx.stderr.write(`${formatDiagnostic(d, name)}\n`);
}

// Node's TLS client errors: DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
// CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ERR_SSL_…
function isTlsFailure(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL/.test(code);
}

/** The Connect code of a failure, or undefined when it is not an RPC failure. */
export function codeOf(e: unknown): Code | undefined {
  return e instanceof ConnectError ? e.code : undefined;
}

/** The refusal of an update based on a revision that is no longer the latest. */
export function staleBaseError(name: string, base: bigint, e: ConnectError): CliError {
  return new CliError(`${name} changed after revision ${base} was read (${e.rawMessage}); nothing was saved, run the command again`);
}
