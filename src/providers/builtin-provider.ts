/**
 * The contract of a built-in `fn::open` provider: a name, JSON Schemas for inputs and outputs (the
 * evaluator checks inputs against the first and types unknowns in `check` with the second), and
 * `open`, which receives the inputs as plain JSON and a {@link ProviderCall} with everything the
 * host lends it. The registry around it adds the time-out, error reporting and call records.
 */
import type { Json } from "../esc/index.js";
import type { ClaimOptions, OidcSubjectFacts } from "../oidc/index.js";

/** What one call may use. */
export interface ProviderCall {
  /** Aborted when the call's time-out passes or the evaluation ends: pass it to every request. */
  readonly signal: AbortSignal;
  /** Milliseconds left before the time-out (for clients that take a time-out instead of a signal). */
  remainingMs(): number;
  /** The facts of the open (`${context.*}`) the call runs in. */
  readonly facts: OidcSubjectFacts;
  /** Signs an OIDC token about this open for `options.platform`; fails when the server has no issuer. */
  issueToken(options: ClaimOptions): Promise<string>;
  /** The server's AWS endpoint override (tests: moto), used when the inputs name none. */
  readonly awsEndpoint?: string;
}

export interface BuiltinProvider {
  /** The name in `fn::open::NAME`. */
  readonly name: string;
  /** One line: what it returns. */
  readonly description: string;
  readonly inputSchema: Json;
  readonly outputSchema: Json;
  /** Returns plain JSON or esc Values (use `secret(…)` for credentials); throws a ProviderError. */
  open(inputs: Json, call: ProviderCall): Promise<unknown>;
}
