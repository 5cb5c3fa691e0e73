/**
 * The Pulumi stack-config resolver, as the server package uses it (the `openesc stack` commands).
 * The code lives in the TypeScript SDK (`@openesc/sdk/pulumi`, sdks/typescript/src/pulumi) so that
 * Automation API programs get the same resolver; this front door re-exports it by name, and adds
 * the in-place edits of a stack file's `environment:` list (`openesc stack env`).
 */
export { addStackEnvironments, removeStackEnvironment, stackEnvironments, StackEditError } from "./stack-environment-edit.js";
export {
  resolveStack,
  environmentErrorDiagnostics,
  DEFAULT_ORG,
  createStackEnvironmentClient,
  formatStackDiagnostic,
  automationConfig,
  pulumiConfigVariables,
  propertyPath,
  renderStackConfigFile,
  createPassphraseCrypter,
  newEncryptionSalt,
  INCORRECT_PASSPHRASE,
  configNodeToJson,
  configNodeToText,
  isSecretNode,
  secretPaths,
  SECRET_TEXT,
  UNKNOWN_TEXT,
  parseConfigKey,
  ConfigKeyError,
  PulumiFileError,
  readProjectFile,
  readStackFile,
  stackFilePath,
} from "@openesc/sdk/pulumi";
export type {
  ResolveStackOptions,
  ResolvedStack,
  ConfigEntry,
  ProjectedEntry,
  StackEnvironmentClient,
  StackClientOptions,
  StackDiagnostic,
  AutomationConfig,
  StackConfigFile,
  PendingSecret,
  PassphraseCrypter,
  ConfigNode,
  ConfigPath,
  Json,
  ProjectFile,
  ProjectConfigEntry,
  StackFile,
  StackSecretsProvider,
} from "@openesc/sdk/pulumi";
