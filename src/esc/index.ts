/**
 * The ESC environment language (docs: /work/shared/spec/esc-language.md): parse, check and evaluate definitions,
 * export the result and render it. Pure: no file system, network, storage or crypto; the host passes in a loader,
 * a decrypter, a provider registry and the execution context.
 */

// Evaluation — the entry points hosts call.
export { evaluateEnvironment } from "./evaluate.js";
export type { EvaluateOptions, EvaluationResult, EnvironmentResult } from "./evaluate.js";
export { checkDefinition } from "./check-definition.js";
export type { CheckOptions, CheckResult } from "./check-definition.js";

// Interfaces the host implements.
export type {
  EvalMode, EnvironmentLoader, LoadedDefinition, Decrypter, Provider, Rotator, ProviderRegistry, ProviderContext,
  ExecutionContext, RotationPatch,
} from "./interfaces.js";
export { DEFAULT_LIMITS } from "./limits.js";
export type { Limits } from "./limits.js";

// Diagnostics and ranges.
export { formatDiagnostic, hasErrors } from "./diagnostic.js";
export type { Diagnostic, Severity } from "./diagnostic.js";
export type { Range, Position } from "./range.js";

// Values, projections and output formats.
export { plain, secret, isValue, toValue, createValue, ESC_VALUE } from "./public-value.js";
export type { Value, ValueKind, Trace } from "./public-value.js";
export { toPlainJson, renderJson, renderDetailed, renderString, valueToString } from "./render.js";
export type { RenderOptions } from "./render.js";
export { environmentVariables, files, pulumiConfig, renderDotenv, renderShell } from "./projection.js";
export type { ProjectedEntry, DotenvInput } from "./projection.js";
export { selectPath, interpolateArgs, redactSecrets } from "./run-args.js";
export type { Json } from "./json-text.js";
export { JsonNumber, jsonNumber } from "./json-text.js";

// Plugins and ciphertext envelopes (for hosts and tests).
export { asPlugin, createPluginRegistry, createPluginDecrypter, definePlugin } from "./plugin.js";
export type { Plugin, PluginProvider, PluginRotator } from "./plugin.js";
export { openEnvelope, sealEnvelope } from "./ciphertext.js";

// Definition rewrites for the host's save, display and rotation paths (§14.3, §16.2).
export { encryptDefinition, decryptDefinition, applyRotationPatches, parseDocPath } from "./rewrite.js";
export type { RewriteResult } from "./rewrite.js";
export { goQuote } from "./go-quote.js";
