import { Command } from "commander";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { outputFormat, writeJson, writeTable } from "../output.js";
import { refKey } from "../reference.js";

/** The settings the CLI knows, by their command-line names. */
export const SETTING_NAMES = ["deletion-protected"] as const;

/** `openesc env settings get REF [NAME]`. */
export function envSettingsGetCommand(ctx: CliContext): Command {
  const cmd = new Command("get")
    .description("show an environment's settings, or one of them")
    .argument("<ref>", "[org/][project/]env")
    .argument("[name]", `a setting: ${SETTING_NAMES.join(", ")}`);
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc env settings get default/payments/dev", "openesc env settings get payments/dev deletion-protected"]);
  return cmd.action(async (refText: string, name: string | undefined, flags: ClientFlags) => {
    if (name !== undefined && !(SETTING_NAMES as readonly string[]).includes(name)) {
      throw usageError(`unknown setting "${name}": expected ${SETTING_NAMES.join(", ")}`);
    }
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const res = await client.environments.getEnvironmentSettings(refKey(ref));
    const settings = { "deletion-protected": res.settings?.deletionProtected ?? false };
    if (name !== undefined) {
      const value = settings[name as keyof typeof settings];
      return void (format === "json" ? writeJson(ctx, value) : ctx.stdout.write(`${value}\n`));
    }
    if (format === "json") return void writeJson(ctx, settings);
    writeTable(ctx, ["SETTING", "VALUE"], Object.entries(settings).map(([k, v]) => [k, String(v)]));
  });
}
