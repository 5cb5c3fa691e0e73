import type { Diagnostic } from "./gen/openesc/v1/diagnostic_pb.js";
import type { ProjectedValue, ResolveEnvironmentResponse } from "./gen/openesc/v1/open_pb.js";
import { valueAtPath, type PropertyPath } from "./property-path.js";
import { Secret } from "./secret.js";
import { fromValue, type EscObject, type EscValue } from "./value.js";

/** A projected text (an environment variable or a file's content): a Secret when it is secret. */
export type ProjectedText = string | Secret<string>;

/** An opened environment: its evaluated value, its projections, and path look-ups. */
export interface OpenedEnvironment {
  /** The revision that was opened. */
  readonly revision: number;
  /** The evaluated `values`, secrets as Secret. */
  readonly value: EscObject;
  /** The `environmentVariables` projection: name → text. */
  readonly environmentVariables: Readonly<Record<string, ProjectedText>>;
  /** The `files` projection: variable name → file content. */
  readonly files: Readonly<Record<string, ProjectedText>>;
  /** The `pulumiConfig` value, or null when there is none. */
  readonly pulumiConfig: EscValue;
  /** Warnings from the evaluation. */
  readonly diagnostics: readonly Diagnostic[];
  /** The value at a property path (`db.password`, `hosts[0]`, `a["b.c"]`), or undefined. */
  get(path: string | PropertyPath): EscValue | undefined;
}

/** Builds the OpenedEnvironment of a ResolveEnvironment response. */
export function openedEnvironmentOf(res: ResolveEnvironmentResponse): OpenedEnvironment {
  const root = fromValue(res.value);
  const value: EscObject = root !== null && typeof root === "object" && !Array.isArray(root) && !(root instanceof Secret) ? root : {};
  return {
    revision: Number(res.revision),
    value,
    environmentVariables: projected(res.environmentVariables),
    files: projected(res.files),
    pulumiConfig: res.pulumiConfig === undefined ? null : fromValue(res.pulumiConfig),
    diagnostics: res.diagnostics,
    get: (path) => valueAtPath(value, path),
  };
}

function projected(map: Record<string, ProjectedValue>): Record<string, ProjectedText> {
  const out: Record<string, ProjectedText> = {};
  for (const name of Object.keys(map).sort()) {
    const p = map[name] as ProjectedValue;
    out[name] = p.secret ? new Secret(p.value) : p.value;
  }
  return out;
}
