import { Command } from "commander";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { outputFormat, writeJson } from "../output.js";
import { formatReference, refKey } from "../reference.js";
import { SETTING_NAMES } from "./env-settings-get.js";

/** `openesc env settings set REF deletion-protected true|false`. */
export function envSettingsSetCommand(ctx: CliContext): Command {
  const cmd = new Command("set")
    .description("change an environment setting")
    .argument("<ref>", "[org/][project/]env")
    .argument("<name>", `a setting: ${SETTING_NAMES.join(", ")}`)
    .argument("<value>", "true or false");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc env settings set default/payments/prod deletion-protected true", "openesc env settings set payments/prod deletion-protected false --output json"]);
  return cmd.action(async (refText: string, name: string, value: string, flags: ClientFlags) => {
    if (name !== "deletion-protected") throw usageError(`unknown setting "${name}": expected ${SETTING_NAMES.join(", ")}`);
    if (value !== "true" && value !== "false") throw usageError(`invalid value "${value}" for ${name}: expected true or false`);
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const res = await client.environments.updateEnvironmentSettings({ ...refKey(ref), deletionProtected: value === "true" });
    // the same shape as `env settings get --output json`
    if (format === "json") return void writeJson(ctx, { "deletion-protected": res.settings?.deletionProtected ?? value === "true" });
    ctx.stdout.write(`Set ${name} of ${formatReference(ref)} to ${res.settings?.deletionProtected ?? value === "true"}.\n`);
  });
}
