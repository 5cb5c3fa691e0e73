import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc team rm TEAM [LOGIN]`: removes a member, or (without LOGIN) the team with its grants. */
export function teamRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm")
    .summary("remove a team member, or a team")
    .description("remove a member from a team; without LOGIN, delete the team and its grants (needs organization admin)")
    .argument("<team>", "the team")
    .argument("[login]", "the member to remove")
    .option("--org <org>", "the organization (default: yours)");
  withConnection(cmd);
  withExamples(cmd, ["openesc team rm payments ana", "openesc team rm payments"]);
  return cmd.action(async (team: string, login: string | undefined, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    const org = flags.org ?? client.defaultOrg;
    if (login === undefined) {
      await client.teams.deleteTeam({ org, name: team });
      return void ctx.stdout.write(`Deleted team ${team}.\n`);
    }
    await client.teams.removeTeamMember({ org, team, login });
    ctx.stdout.write(`Removed ${login} from team ${team}.\n`);
  });
}
