import type { Json } from "./json-text.js";
import type { Value } from "./public-value.js";

/** The three evaluation modes (esc-language.md §14). */
export type EvalMode = "check" | "open" | "rotate";

/** A definition returned by an {@link EnvironmentLoader}. */
export interface LoadedDefinition {
  /** The YAML text or bytes (UTF-8). */
  readonly yaml: string | Uint8Array;
  /** Decrypter for ciphertext in this definition; defaults to the evaluation's decrypter. */
  readonly decrypter?: Decrypter;
}

/**
 * Loads imported and inline-referenced environments by name (§3.2). `name` is the import text before a trailing
 * `@version`, `version` the text after it. Rejecting with an `Error` reports its message verbatim at the import.
 */
export interface EnvironmentLoader {
  load(name: string, version: string | undefined): Promise<LoadedDefinition>;
}

/** Decrypts the payload of a ciphertext envelope (§16.1). Throwing reports `decrypting: MESSAGE`. */
export interface Decrypter {
  decrypt(payload: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

/** What a provider or rotator is told about the evaluation. */
export interface ProviderContext {
  /** The environment containing the call. */
  readonly environment: string;
  /** The root environment of the evaluation. */
  readonly rootEnvironment: string;
  /** The execution context object (§15) as seen by that environment. */
  readonly context: Value;
  /** The document path of the `fn::open`/`fn::rotate` call, e.g. `aws.login` (for the host's records). */
  readonly path?: string;
  /** Aborted when the evaluation's time limit is reached. */
  readonly signal: AbortSignal;
}

/**
 * A `fn::open` provider (§9.2). Schemas are JSON Schema objects (omitted = anything). `open` receives the inputs as
 * evaluator values (per-node secret flags) and returns plain JSON, {@link Value}s, or a mix; throwing an `Error`
 * reports its message verbatim on the call.
 */
export interface Provider {
  readonly inputSchema?: Json;
  readonly outputSchema?: Json;
  open(inputs: Value, context: ProviderContext): unknown;
}

/** A `fn::rotate` rotator (§9.3, §14.3). `state` is undefined when the definition has none. */
export interface Rotator {
  readonly inputSchema?: Json;
  readonly stateSchema?: Json;
  readonly outputSchema?: Json;
  open(inputs: Value, state: Value | undefined, context: ProviderContext): unknown;
  rotate(inputs: Value, state: Value | undefined, context: ProviderContext): unknown;
}

/**
 * Finds providers and rotators by name. Returning undefined reports `unknown provider "NAME"` /
 * `unknown rotator "NAME"`; throwing reports the error's message.
 */
export interface ProviderRegistry {
  provider(name: string): Provider | undefined;
  rotator(name: string): Rotator | undefined;
}

/**
 * The host's execution context (§15): a JSON object such as `{pulumi: {user: {login}, organization: {login}}}`;
 * members may be {@link Value}s to carry secret flags. Must not contain `currentEnvironment`/`rootEnvironment`.
 */
export type ExecutionContext = Readonly<Record<string, unknown>>;

/** A rotation patch (§14.3): replace the YAML at `path` (a document path ending in `.state`) by `replacement`. */
export interface RotationPatch {
  readonly path: string;
  readonly replacement: Value;
}
