import { Command } from "commander";
import { TeamSchema } from "../../gen/openesc/v1/team_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, messageJson, outputFormat, writeJson, writeTable } from "../output.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc team ls`: teams with their members. */
export function teamLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").alias("list").summary("list teams").description("list an organization's teams and their members").option("--org <org>", "the organization (default: yours)");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc team ls", "openesc team ls --org acme --output json"]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const teams = await allPages(async (pageToken) => {
      const page = await client.teams.listTeams({ org: flags.org ?? client.defaultOrg, pageSize: 1000, pageToken });
      return { items: page.teams, next: page.nextPageToken };
    });
    if (format === "json") return void writeJson(ctx, teams.map((t) => messageJson(TeamSchema, t)));
    writeTable(ctx, ["NAME", "MEMBERS", "DESCRIPTION"], teams.map((t) => [t.name, t.members.join(","), t.description]));
  });
}
