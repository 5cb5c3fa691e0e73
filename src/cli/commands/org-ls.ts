import { Command } from "commander";
import { OrganizationSchema } from "../../gen/openesc/v1/organization_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";

/** `openesc org ls`: the organizations the caller belongs to (all of them for a server admin). */
export function orgLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").alias("list").summary("list organizations").description("list the organizations you belong to (all of them for a server admin)");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc org ls", "openesc org ls --output json"]);
  return cmd.action(async (flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const orgs = await allPages(async (pageToken) => {
      const page = await client.organizations.listOrganizations({ pageSize: 1000, pageToken });
      return { items: page.organizations, next: page.nextPageToken };
    });
    if (format === "json") return void writeJson(ctx, orgs.map((o) => messageJson(OrganizationSchema, o)));
    writeTable(ctx, ["NAME", "DESCRIPTION", "CREATED"], orgs.map((o) => [o.name, o.description, formatTime(o.createTime)]));
  });
}
