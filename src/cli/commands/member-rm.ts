import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc member rm LOGIN`: removes a user with its tokens, team memberships and grants. */
export function memberRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm")
    .summary("remove a user")
    .description("remove a user from an organization with its tokens, team memberships and grants (needs organization admin)")
    .argument("<login>", "the user")
    .option("--org <org>", "the organization (default: yours)");
  withConnection(cmd);
  withExamples(cmd, ["openesc member rm ana"]);
  return cmd.action(async (login: string, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    await client.members.removeMember({ org: flags.org ?? client.defaultOrg, login });
    ctx.stdout.write(`Removed ${login}.\n`);
  });
}
