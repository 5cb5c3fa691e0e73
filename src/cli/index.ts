/**
 * The CLI module's front door: the `openesc` entry point and the pieces other modules and tests
 * may reuse. Commands themselves are private to src/cli.
 */
export { main } from "./main.js";
export { processContext, CliError, usageError } from "./context.js";
export type { CliContext } from "./context.js";
export { parseReference, formatReference, DEFAULT_ORG, DEFAULT_PROJECT } from "./reference.js";
export type { EnvironmentRef } from "./reference.js";
export { createCliClient, createClientFor, createClientsOver } from "./client.js";
export type { CliClient, ConnectionFlags } from "./client.js";
export { readCredentials, writeCredentials, credentialsPath } from "./credentials.js";
export type { Credentials, ServerCredentials } from "./credentials.js";
export { unifiedDiff } from "./unified-diff.js";
export { parseValuePath, formatValuePath } from "./value-path.js";
export type { ValuePath } from "./value-path.js";
export { setDefinitionValue, deleteDefinitionValue } from "./definition-edit.js";
export type { SecretMode } from "./definition-edit.js";
