import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc team add TEAM LOGIN`. */
export function teamAddCommand(ctx: CliContext): Command {
  const cmd = new Command("add")
    .summary("add a member to a team")
    .description("add a user or service account to a team (needs organization admin)")
    .argument("<team>", "the team")
    .argument("<login>", "a user's login or a service account's name")
    .option("--org <org>", "the organization (default: yours)");
  withConnection(cmd);
  withExamples(cmd, ["openesc team add payments ana"]);
  return cmd.action(async (team: string, login: string, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    await client.teams.addTeamMember({ org: flags.org ?? client.defaultOrg, team, login });
    ctx.stdout.write(`Added ${login} to team ${team}.\n`);
  });
}
