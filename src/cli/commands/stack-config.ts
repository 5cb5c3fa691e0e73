import { Command, Option } from "commander";
import { stringify } from "yaml";
import { configNodeToJson, configNodeToText, pulumiConfigVariables, type ResolvedStack } from "../../pulumi/index.js";
import { withConnection, withExamples } from "../command-options.js";
import type { CliContext } from "../context.js";
import { resolveForCli, withStackOptions, type StackFlags } from "./stack-common.js";

interface Flags extends StackFlags {
  readonly format: "json" | "yaml" | "pulumi-config";
  readonly showSecrets?: boolean;
}

const HELP = `
The configuration is what the Pulumi CLI would give the stack with Pulumi Cloud: the environment's
pulumiConfig (keys without a namespace get the project's name), overridden by the stack file's own
config (objects merged key by key), with Pulumi.yaml's defaults for what is still missing.

Formats:
  json           as \`pulumi config --json\`: {"proj:key": {"value": "…", "objectValue": {…}, "secret": false}};
                 a secret's value is left out unless --show-secrets
  yaml           key: value, secrets as [secret] unless --show-secrets
  pulumi-config  PULUMI_CONFIG='…' and PULUMI_CONFIG_SECRET_KEYS='…' lines (shell-quoted), the variables the
                 Pulumi engine hands a program; secrets as [secret] unless --show-secrets

Secrets of the stack file itself are decrypted with PULUMI_CONFIG_PASSPHRASE(_FILE) when the stack uses
the passphrase provider; otherwise they show as [secret].`;

/** `openesc stack config --stack NAME`: the stack's resolved configuration. */
export function stackConfigCommand(ctx: CliContext): Command {
  const cmd = new Command("config")
    .summary("print a stack's configuration, its environment included")
    .description("resolve a Pulumi stack's configuration: Pulumi.yaml, Pulumi.<stack>.yaml and the environment it names, opened on the server")
    .addOption(new Option("-f, --format <format>", "output format").choices(["json", "yaml", "pulumi-config"]).default("json"))
    .option("--show-secrets", "show secret values");
  withStackOptions(cmd, { org: true });
  withConnection(cmd);
  cmd.addHelpText("after", HELP);
  withExamples(cmd, ["openesc stack config --stack dev", "openesc stack config --cwd infra --stack prod --format yaml --show-secrets"]);
  return cmd.action(async (flags: Flags) => {
    const resolved = await resolveForCli(ctx, flags);
    ctx.stdout.write(renderConfig(resolved, flags.format, flags.showSecrets === true));
  });
}

/** The configuration in one of the formats of `openesc stack config`. */
export function renderConfig(resolved: Pick<ResolvedStack, "config">, format: Flags["format"], showSecrets: boolean): string {
  const redact = !showSecrets;
  if (format === "pulumi-config") {
    const vars = pulumiConfigVariables(resolved, { redact });
    return `PULUMI_CONFIG=${shellQuote(vars.PULUMI_CONFIG)}\nPULUMI_CONFIG_SECRET_KEYS=${shellQuote(vars.PULUMI_CONFIG_SECRET_KEYS)}\n`;
  }
  if (format === "yaml") {
    const plain = Object.fromEntries(Object.entries(resolved.config).map(([k, e]) => [k, configNodeToJson(e.node, redact)]));
    return Object.keys(plain).length === 0 ? "{}\n" : stringify(plain);
  }
  const out: Record<string, { value?: string; objectValue?: unknown; secret: boolean }> = {};
  for (const [key, entry] of Object.entries(resolved.config)) {
    const structured = entry.node.kind === "object" || entry.node.kind === "array";
    out[key] =
      entry.secret && redact
        ? { secret: true }
        : { value: configNodeToText(entry.node), ...(structured ? { objectValue: configNodeToJson(entry.node) } : {}), secret: entry.secret };
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
