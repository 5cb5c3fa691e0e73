import type { ProjectedEntry } from "../esc/index.js";
import { Diagnostic_Severity } from "../gen/openesc/v1/diagnostic_pb.js";
import type { CliClient } from "./client.js";
import { CliError, usageError, type CliContext } from "./context.js";
import { formatDiagnostic, rpcError } from "./errors.js";
import { formatReference, refKey, type EnvironmentRef } from "./reference.js";
import { checkPath, fromServerValue, isProjectionFormat, projectionsOf, renderProjection, renderValue, selectValue } from "./value-views.js";

/** The `--value` formats of `env get` (esc-language.md §18.4: no `yaml`, which is open only). */
export const GET_VALUE_FORMATS = ["json", "string", "dotenv", "shell", "detailed"] as const;
export type GetValueFormat = (typeof GET_VALUE_FORMATS)[number];

/**
 * `env get REF[@V] [PATH] --value FORMAT`: the check-mode value (§14.2: no provider called, their
 * outputs `[unknown]`) of a stored revision through `CheckEnvironment`, secrets `[secret]` unless
 * `showSecrets`. dotenv/shell write no file: file variables are `[unknown]` ("pretend", §18.2).
 * Diagnostics go to stderr; errors end with `error: NAME: N errors` (exit 1) after the value.
 */
export async function writeCheckValue(
  ctx: CliContext,
  client: CliClient,
  ref: EnvironmentRef,
  path: string | undefined,
  format: GetValueFormat,
  showSecrets: boolean,
): Promise<void> {
  if (path !== undefined && isProjectionFormat(format)) throw usageError(`output format '${format}' may not be used with a property path`);
  checkPath(path);
  const name = formatReference(ref);
  let checked;
  try {
    checked = await client.environments.checkEnvironment({ ...refKey(ref), version: ref.version ?? "", reveal: showSecrets });
  } catch (e) {
    throw rpcError(e, name);
  }
  for (const d of checked.diagnostics) ctx.stderr.write(`${formatDiagnostic(d, name)}\n`);
  // With reveal the server decrypts in check mode and returns secret plaintext (§14.2, `--show-secrets`).
  const { value } = fromServerValue(checked.value);
  const redact = !showSecrets;
  if (isProjectionFormat(format)) {
    const { variables, files } = projectionsOf(value);
    const paths = files.map((f): ProjectedEntry => ({ name: f.name, value: "[unknown]", secret: false }));
    ctx.stdout.write(renderProjection(format, variables, paths, redact));
  } else {
    ctx.stdout.write(renderValue(selectValue(value, path), format, redact));
  }
  const errors = checked.diagnostics.filter((d) => d.severity !== Diagnostic_Severity.WARNING).length;
  if (errors > 0) throw new CliError(`${name}: ${errors} error${errors === 1 ? "" : "s"}`);
}
