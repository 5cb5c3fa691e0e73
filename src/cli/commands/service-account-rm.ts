import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc service-account rm NAME`: deletes it with its tokens, team memberships and grants. */
export function serviceAccountRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm")
    .summary("delete a service account")
    .description("delete a service account with its tokens, team memberships, trust policies and grants (needs organization admin)")
    .argument("<name>", "the service account's name")
    .option("--org <org>", "the organization (default: yours)");
  withConnection(cmd);
  withExamples(cmd, ["openesc service-account rm ci"]);
  return cmd.action(async (name: string, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    await client.serviceAccounts.deleteServiceAccount({ org: flags.org ?? client.defaultOrg, name });
    ctx.stdout.write(`Deleted service account ${name}.\n`);
  });
}
