import { Command } from "commander";
import { formatDiagnostic, type Diagnostic } from "../../esc/index.js";
import { DiagnosticSchema, Diagnostic_Severity, type Diagnostic as ProtoDiagnostic } from "../../gen/openesc/v1/diagnostic_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { CliError, type CliContext } from "../context.js";
import { rpcError } from "../errors.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { readInput } from "../read-input.js";
import { formatReference, refKey } from "../reference.js";

interface Flags extends ClientFlags {
  readonly file?: string;
}

/** The environment a definition given without REF is checked as (in the default org). */
export const UNNAMED_CHECK_REF = "default/definition";

/**
 * `openesc env check REF | -f FILE|-`: the server's `CheckEnvironment` (check mode, esc-language.md §14.2).
 * Prints every diagnostic on stderr as `ENV:LINE:COLUMN: error|warning: SUMMARY` (`ENV: …` without a position;
 * ENV is the server's `project/env` name of the environment the diagnostic is in) and, when any is an error, a
 * last line `error: NAME: N error(s)` with exit status 1. Nothing is printed on stdout.
 */
export function envCheckCommand(ctx: CliContext): Command {
  const cmd = new Command("check")
    .summary("check a definition: diagnostics only")
    .description(
      "check an environment on the server without calling providers: its latest revision, the version in REF, " +
        "or with -f the definition in FILE as if it were REF (imports resolve against the server's environments " +
        `in REF's org). Without REF, -f checks the definition as ${UNNAMED_CHECK_REF}. A server is always needed; ` +
        "evaluate local files without one with `openesc env eval DIR NAME --check`",
    )
    .argument("[ref]", "[org/][project/]env[@version]")
    .option("-f, --file <file>", 'check the YAML definition in this file ("-" reads standard input) instead of a stored revision');
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env check default/payments/dev",
    "openesc env check payments/dev@stable",
    "openesc env check payments/dev -f dev.yaml",
    "cat dev.yaml | openesc env check -f -",
    "openesc env check payments/dev --output json   # {errors, warnings, diagnostics} on stdout",
  ]);
  return cmd.action(async (refText: string | undefined, flags: Flags) => {
    if (refText === undefined && flags.file === undefined) throw new CliError("missing REF: pass an environment reference, or -f FILE", 2);
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText ?? UNNAMED_CHECK_REF, client.defaultOrg, flags.file === undefined ? "optional" : "none");
    // an empty definition means "the stored revision" to the server: send an empty document instead
    const definition = flags.file === undefined ? "" : emptyAsDocument(await readInput(ctx, flags.file));
    const name = formatReference(ref);
    let diagnostics: readonly ProtoDiagnostic[];
    try {
      const checked = await client.environments.checkEnvironment({ ...refKey(ref), version: ref.version ?? "", definition });
      diagnostics = checked.diagnostics;
    } catch (e) {
      throw rpcError(e, name);
    }
    const fallback = `${ref.project}/${ref.environment}`;
    const errors = diagnostics.filter((d) => d.severity !== Diagnostic_Severity.WARNING).length;
    if (format === "json") {
      writeJson(ctx, { errors, warnings: diagnostics.length - errors, diagnostics: diagnostics.map((d) => messageJson(DiagnosticSchema, d)) });
    } else {
      for (const d of diagnostics) ctx.stderr.write(`${formatDiagnostic(fromProto(d), fallback)}\n`);
    }
    if (errors > 0) throw new CliError(`${name}: ${errors} error${errors === 1 ? "" : "s"}`);
  });
}

function emptyAsDocument(text: string): string {
  return text === "" ? "{}\n" : text;
}

/** A diagnostic of the API as the language module's, for {@link formatDiagnostic}. */
function fromProto(d: ProtoDiagnostic): Diagnostic {
  const pos = (p: { line: number; column: number; byte: number } | undefined) => ({ line: p?.line ?? 0, column: p?.column ?? 0, byte: p?.byte ?? 0 });
  return {
    severity: d.severity === Diagnostic_Severity.WARNING ? "warning" : "error",
    summary: d.summary,
    ...(d.path !== "" ? { path: d.path } : {}),
    ...(d.range !== undefined ? { range: { environment: d.range.environment, begin: pos(d.range.begin), end: pos(d.range.end) } } : {}),
  };
}
