import { Command, Argument } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc member set-role LOGIN ROLE`. */
export function memberSetRoleCommand(ctx: CliContext): Command {
  const cmd = new Command("set-role")
    .summary("change a user's role")
    .description("change a user's organization role: admin, member or auditor (needs organization admin)")
    .argument("<login>", "the user")
    .addArgument(new Argument("<role>", "the new role").choices(["admin", "member", "auditor"]))
    .option("--org <org>", "the organization (default: yours)");
  withConnection(cmd);
  withExamples(cmd, ["openesc member set-role ana auditor"]);
  return cmd.action(async (login: string, role: string, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    await client.members.updateMemberRole({ org: flags.org ?? client.defaultOrg, login, role });
    ctx.stdout.write(`${login} is now ${role}.\n`);
  });
}
