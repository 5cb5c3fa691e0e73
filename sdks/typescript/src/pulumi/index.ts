/**
 * `@openesc/sdk/pulumi` — the Pulumi stack-config resolver: Pulumi.yaml + Pulumi.<stack>.yaml +
 * the stack's `environment:` opened on an OpenESC server → the configuration, environment variables
 * and files the Pulumi CLI would have produced with Pulumi Cloud.
 */

// Resolution.
export { resolveStack, environmentErrorDiagnostics, DEFAULT_ORG } from "./resolve-stack.js";
export type { ResolveStackOptions, ResolvedStack, ConfigEntry, ProjectedEntry } from "./resolve-stack.js";
export { createStackEnvironmentClient } from "./stack-client.js";
export type { StackEnvironmentClient, StackClientOptions } from "./stack-client.js";
export { formatStackDiagnostic } from "./stack-diagnostic.js";
export type { StackDiagnostic } from "./stack-diagnostic.js";

// Handing the result to Pulumi.
export { automationConfig, pulumiConfigVariables, propertyPath } from "./automation.js";
export type { AutomationConfig } from "./automation.js";
export { renderStackConfigFile } from "./stack-config-file.js";
export type { StackConfigFile, PendingSecret } from "./stack-config-file.js";
export { createPassphraseCrypter, newEncryptionSalt, INCORRECT_PASSPHRASE } from "./passphrase.js";
export type { PassphraseCrypter } from "./passphrase.js";

// Building blocks.
export { configNodeToJson, configNodeToText, isSecretNode, secretPaths, SECRET_TEXT, UNKNOWN_TEXT } from "./config-node.js";
export type { ConfigNode, ConfigPath, Json } from "./config-node.js";
export { parseConfigKey } from "./config-key.js";
export { ConfigKeyError } from "./merge-config.js";
export { PulumiFileError, readProjectFile } from "./project-file.js";
export type { ProjectFile, ProjectConfigEntry } from "./project-file.js";
export { readStackFile, stackFilePath } from "./stack-file.js";
export type { StackFile, StackSecretsProvider } from "./stack-file.js";
