import { ConnectError } from "@connectrpc/connect";
import { Diagnostic_Severity, DiagnosticsSchema, type Diagnostic } from "../gen/openesc/v1/diagnostic_pb.js";
import type { Value } from "../gen/openesc/v1/value_pb.js";
import type { ProjectedValue, ResolveAnonymousEnvironmentResponse } from "../gen/openesc/v1/open_pb.js";
import { configNodeFromValue, configNodeToJson, isSecretNode, type ConfigNode, type Json } from "./config-node.js";
import { mergeStackConfig } from "./merge-config.js";
import { createPassphraseCrypter, type PassphraseCrypter } from "./passphrase.js";
import { readProjectFile, type ProjectFile } from "./project-file.js";
import type { StackEnvironmentClient } from "./stack-client.js";
import type { StackDiagnostic } from "./stack-diagnostic.js";
import { readStackFile, stackFilePath, type StackFile } from "./stack-file.js";

/** What {@link resolveStack} reads and whom it asks. */
export interface ResolveStackOptions {
  /** The directory holding Pulumi.yaml. */
  readonly projectDir: string;
  /** The stack's name (`dev`, or `org/project/dev`: the file is `Pulumi.dev.yaml`). */
  readonly stack: string;
  /** The server; see {@link createStackEnvironmentClient}. */
  readonly client: StackEnvironmentClient;
  /**
   * The org the environment names resolve in. Default: the org of a fully qualified stack name
   * (`acme/shop/dev` → acme, as Pulumi uses the stack's org), else `defaultOrg`.
   */
  readonly org?: string;
  /** The org when neither `org` nor the stack name gives one. Default "default" (the server's default org). */
  readonly defaultOrg?: string;
  /**
   * The environment to use instead of the stack file's `environment:`: a list of names, or an inline
   * definition (YAML). For Automation API programs on a self-managed backend, whose stack file cannot
   * hold `environment:` (the Pulumi CLI refuses it there).
   */
  readonly environment?: readonly string[] | string;
  /**
   * The passphrase of a stack using Pulumi's passphrase secrets provider: its own `secure:` values are
   * then decrypted. Without it they stay encrypted (shown as `[secret]`, passed on as ciphertext).
   */
  readonly passphrase?: string;
}

/** One configuration value. */
export interface ConfigEntry {
  /** The value as JSON, secrets shown (a `secure:` value that was not decrypted shows `[secret]`). */
  readonly value: Json;
  /** Whether it is secret or holds a secret (Pulumi's `Secure()`). */
  readonly secret: boolean;
  /** The value with per-leaf secret flags, for writing it back as Pulumi configuration. */
  readonly node: ConfigNode;
}

/** A variable or file content of the environment. */
export interface ProjectedEntry {
  readonly value: string;
  readonly secret: boolean;
}

/** The stack as the Pulumi CLI would see it with Pulumi Cloud. */
export interface ResolvedStack {
  readonly project: string;
  readonly stack: string;
  /** The org the environment was opened in (undefined when the stack file has no `environment:`). */
  readonly org: string | undefined;
  /** `namespace:name` → value, sorted by key. */
  readonly config: Readonly<Record<string, ConfigEntry>>;
  /** `environmentVariables`: name → text, sorted by name. */
  readonly environmentVariables: Readonly<Record<string, ProjectedEntry>>;
  /** `files`: variable name → content, sorted by name. */
  readonly files: Readonly<Record<string, ProjectedEntry>>;
  /** Warnings (the environment's, and configuration the project requires but nothing provides). */
  readonly diagnostics: readonly StackDiagnostic[];
  /** The stack file it was resolved from, for writing a copy without `environment:`. */
  readonly stackFile: StackFile;
  readonly projectFile: ProjectFile;
  /** The stack's passphrase crypter, when it uses the passphrase provider and a passphrase was given (deriving it is slow). */
  readonly passphraseCrypter?: PassphraseCrypter;
}

/** The org environment names resolve in when none is given. */
export const DEFAULT_ORG = "default";

/**
 * Resolves a stack the way the Pulumi CLI does with Pulumi Cloud: reads Pulumi.yaml and
 * Pulumi.<stack>.yaml, opens the stack file's `environment:` (a list of names or an inline definition)
 * on the server as one anonymous environment, and merges its `pulumiConfig` with the stack's own
 * config and the project's defaults. Server refusals (a missing environment, a denied import, an
 * evaluation error) reject with the server's ConnectError; {@link environmentErrorDiagnostics} lists
 * the evaluation's diagnostics.
 */
export async function resolveStack(options: ResolveStackOptions): Promise<ResolvedStack> {
  const projectFile = readProjectFile(options.projectDir);
  const stackFile = readStackFile(stackFilePath(projectFile.stackConfigDir, options.stack, projectFile.path));
  const crypter = await crypterOf(stackFile, options.passphrase);
  const stackConfig = stackFile.config.map(([key, node]) => [key, crypter === undefined ? node : decryptNode(node, crypter, key)] as const);
  let org: string | undefined;
  let opened: ResolveAnonymousEnvironmentResponse | undefined;
  const definition = options.environment === undefined ? stackFile.environment : typeof options.environment === "string" ? options.environment : options.environment.length > 0 ? JSON.stringify({ imports: options.environment }) : undefined;
  if (definition !== undefined) {
    org = options.org ?? stackOrg(options.stack) ?? options.defaultOrg ?? DEFAULT_ORG;
    opened = await options.client.resolveAnonymousEnvironment({ org, definition });
  }
  const envConfig = opened?.pulumiConfig;
  // Only an object is configuration (anything else under pulumiConfig is ignored, as by Pulumi).
  const fields = envConfig !== undefined && !envConfig.unknown && envConfig.kind.case === "objectValue" ? envConfig.kind.value.fields : {};
  const environmentConfig = Object.keys(fields)
    .sort()
    .map((key) => [key, configNodeFromValue(fields[key] as Value)] as const);
  const merged = mergeStackConfig({ project: projectFile, stackName: options.stack.split("/").pop() ?? options.stack, stackConfig, environmentConfig });
  const config: Record<string, ConfigEntry> = {};
  for (const [key, node] of Object.entries(merged.config)) config[key] = { value: configNodeToJson(node), secret: isSecretNode(node), node };
  return {
    project: projectFile.name,
    stack: options.stack,
    org,
    config,
    environmentVariables: projected(opened?.environmentVariables),
    files: projected(opened?.files),
    diagnostics: [...(opened?.diagnostics ?? []).map(toStackDiagnostic), ...noEffects(opened, fields), ...merged.diagnostics],
    stackFile,
    projectFile,
    ...(crypter !== undefined ? { passphraseCrypter: crypter } : {}),
  };
}

// Pulumi's warnOnNoEnvironmentEffects, word for word.
function noEffects(opened: ResolveAnonymousEnvironmentResponse | undefined, config: Record<string, Value>): StackDiagnostic[] {
  if (opened === undefined) return [];
  const hasConfig = opened.pulumiConfig?.kind.case === "objectValue" && !opened.pulumiConfig.unknown;
  if (Object.keys(opened.environmentVariables).length > 0 || Object.keys(opened.files).length > 0 || hasConfig || Object.keys(config).length > 0) return [];
  return [
    {
      severity: "warning",
      summary:
        "The stack's environment does not define the `environmentVariables`, `files`, or `pulumiConfig` properties. Without at least one of these properties, the environment will not affect the stack's behavior.",
    },
  ];
}

/** The diagnostics a server refusal carries (an environment with errors), in the resolver's form. */
export function environmentErrorDiagnostics(error: unknown): StackDiagnostic[] {
  if (!(error instanceof ConnectError)) return [];
  return error.findDetails(DiagnosticsSchema).flatMap((d) => d.diagnostics.map(toStackDiagnostic));
}

// `org/project/stack` names its org; `organization` is what self-managed backends write there, not an org.
function stackOrg(stack: string): string | undefined {
  const parts = stack.split("/");
  return parts.length === 3 && parts[0] !== "" && parts[0] !== "organization" ? parts[0] : undefined;
}

async function crypterOf(stackFile: StackFile, passphrase: string | undefined): Promise<PassphraseCrypter | undefined> {
  if (passphrase === undefined || stackFile.secretsProvider.kind !== "passphrase") return undefined;
  return createPassphraseCrypter(passphrase, stackFile.secretsProvider.encryptionSalt);
}

function decryptNode(node: ConfigNode, crypter: PassphraseCrypter, key: string): ConfigNode {
  switch (node.kind) {
    case "ciphertext":
      try {
        return { kind: "string", value: crypter.decrypt(node.ciphertext), secret: true };
      } catch (e) {
        throw new Error(`${key}: ${(e as Error).message}`);
      }
    case "array":
      return { kind: "array", items: node.items.map((item) => decryptNode(item, crypter, key)) };
    case "object":
      return { kind: "object", members: Object.fromEntries(Object.entries(node.members).map(([k, v]) => [k, decryptNode(v, crypter, key)])) };
    default:
      return node;
  }
}

function projected(entries: { [name: string]: ProjectedValue } | undefined): Record<string, ProjectedEntry> {
  const out: Record<string, ProjectedEntry> = {};
  for (const name of Object.keys(entries ?? {}).sort()) {
    const e = entries?.[name] as ProjectedValue;
    out[name] = { value: e.value, secret: e.secret };
  }
  return out;
}

function toStackDiagnostic(d: Diagnostic): StackDiagnostic {
  const begin = d.range?.begin;
  return {
    severity: d.severity === Diagnostic_Severity.WARNING ? "warning" : "error",
    summary: d.summary,
    ...(d.range !== undefined && d.range.environment !== "" ? { environment: d.range.environment } : {}),
    ...(begin !== undefined && begin.line > 0 ? { line: begin.line, column: begin.column } : {}),
    ...(d.path !== "" ? { path: d.path } : {}),
  };
}
