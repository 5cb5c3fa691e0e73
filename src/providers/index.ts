/**
 * The built-in `fn::open` providers (issue 5): aws-login, aws-secrets, aws-parameter-store, vault-login, vault-secrets,
 * behind the evaluator's ProviderRegistry seam, with time-outs, error reporting and call records.
 */
export { BUILTIN_PROVIDERS, createBuiltinProviders, DEFAULT_PROVIDER_TIMEOUT_MS } from "./builtin-providers.js";
export type { BuiltinProviders, BuiltinProvidersOptions, ProviderCallRecord } from "./builtin-providers.js";
export type { BuiltinProvider, ProviderCall } from "./builtin-provider.js";
export { ProviderError } from "./provider-error.js";
export { resolveDynamicCredentialsConfig } from "./dynamic-credentials-config.js";
export type { DynamicCredentialsConfig, DynamicCredentialsFlags } from "./dynamic-credentials-config.js";
