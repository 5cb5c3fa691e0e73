import { Code, ConnectError } from "@connectrpc/connect";
import type { Duration } from "@bufbuild/protobuf/wkt";
import type { ProjectedEntry } from "../esc/index.js";
import type { Diagnostic } from "../gen/openesc/v1/diagnostic_pb.js";
import type { CliClient } from "./client.js";
import { CliError, usageError } from "./context.js";
import { diagnosticLines, rpcError } from "./errors.js";
import { formatReference, refKey, type EnvironmentRef } from "./reference.js";
import { fromServerValue, projectedEntries, projectionsOf, type ServerValue } from "./value-views.js";

/** An environment opened for the CLI: its value (secrets shown), projections and warnings. */
export interface OpenedValue extends ServerValue {
  readonly variables: readonly ProjectedEntry[];
  /** The `files` projection: each entry's value is the file content. */
  readonly files: readonly ProjectedEntry[];
  readonly warnings: readonly Diagnostic[];
}

/**
 * Opens an environment in open mode (esc-language.md §14.1): `ResolveEnvironment`, or with a duration
 * `OpenEnvironment` (a session that lives that long) then `ReadOpenEnvironment`, whose projections are
 * computed here with the language's own functions. An environment with errors fails with its
 * diagnostics as `ENV:LINE:COLUMN: error: …` lines.
 */
export async function openForCli(client: CliClient, ref: EnvironmentRef, duration?: Duration): Promise<OpenedValue> {
  const name = formatReference(ref);
  const request = { ...refKey(ref), version: ref.version ?? "" };
  try {
    if (duration === undefined) {
      const got = await client.open.resolveEnvironment(request);
      return {
        ...fromServerValue(got.value),
        variables: projectedEntries(got.environmentVariables),
        files: projectedEntries(got.files),
        warnings: got.diagnostics,
      };
    }
    const session = await client.open.openEnvironment({ ...request, duration });
    const read = await client.open.readOpenEnvironment({ ...refKey(ref), sessionId: session.sessionId, path: "" });
    const value = fromServerValue(read.value);
    return { ...value, ...projectionsOf(value.value), warnings: session.diagnostics };
  } catch (e) {
    throw openError(e, name);
  }
}

/** A refused open: FailedPrecondition with diagnostics lists them and counts the errors. */
export function openError(e: unknown, name: string): CliError {
  if (e instanceof ConnectError && e.code === Code.FailedPrecondition) {
    const lines = diagnosticLines(e, name);
    if (lines.length > 0) {
      const errors = lines.filter((l) => / error: /.test(l)).length;
      return new CliError(`cannot open ${name}: ${errors} error${errors === 1 ? "" : "s"}`, 1, lines);
    }
  }
  return rpcError(e, name);
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go duration (`90s`, `15m`, `1h30m`, `2.5h`) as a proto Duration; bad text is a usage error. The
 * server accepts 1 s to 24 h.
 */
export function parseDuration(text: string, flag = "--lifetime"): Duration {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let ms = 0;
  let end = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    end = re.lastIndex;
  }
  if (text === "" || end !== text.length) throw usageError(`invalid ${flag} "${text}": expected a duration such as 30m, 2h or 1h30m`);
  const whole = Math.round(ms);
  return { $typeName: "google.protobuf.Duration", seconds: BigInt(Math.floor(whole / 1000)), nanos: (whole % 1000) * 1e6 };
}
