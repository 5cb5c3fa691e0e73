import { Command } from "commander";
import { TeamSchema } from "../../gen/openesc/v1/team_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";

interface Flags extends ClientFlags {
  readonly org?: string;
  readonly description?: string;
}

/** `openesc team create NAME`. */
export function teamCreateCommand(ctx: CliContext): Command {
  const cmd = new Command("create")
    .summary("create a team")
    .description("create a team (needs organization admin); grants to a team apply to its members")
    .argument("<name>", "the team's name")
    .option("--org <org>", "the organization (default: yours)")
    .option("--description <text>", "what the team is for");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc team create payments", "openesc grant set team:payments default/payments open"]);
  return cmd.action(async (name: string, flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const res = await client.teams.createTeam({ org: flags.org ?? client.defaultOrg, name, description: flags.description ?? "" });
    if (format === "json") return void writeJson(ctx, res.team === undefined ? null : messageJson(TeamSchema, res.team));
    ctx.stdout.write(`Created team ${name}.\n`);
  });
}
