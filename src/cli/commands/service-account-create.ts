import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc service-account create NAME`. */
export function serviceAccountCreateCommand(ctx: CliContext): Command {
  const cmd = new Command("create")
    .summary("create a service account")
    .description("create a service account: a non-human identity that gets access through grants (needs organization admin)")
    .argument("<name>", "the service account's name")
    .option("--org <org>", "the organization (default: yours)");
  withConnection(cmd);
  withExamples(cmd, ["openesc service-account create ci", "openesc token create --service-account ci --expires 30d"]);
  return cmd.action(async (name: string, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    await client.serviceAccounts.createServiceAccount({ org: flags.org ?? client.defaultOrg, name });
    ctx.stdout.write(`Created service account ${name}.\n`);
  });
}
