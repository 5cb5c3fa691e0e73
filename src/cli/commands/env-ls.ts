import { Command } from "commander";
import { EnvironmentSchema } from "../../gen/openesc/v1/environment_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, messageJson, outputFormat, writeJson } from "../output.js";

interface Flags extends ClientFlags {
  readonly project?: string;
}

/** `openesc env ls [ORG] [-p PROJECT]`: every environment the caller can read, all pages. */
export function envLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls")
    .summary("list environments")
    .alias("list")
    .description("list environments (of every org, or of one org or project)")
    .argument("[org]", "only this organization (default: every one; with -p, the login's org)")
    .option("-p, --project <project>", "only this project");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc env ls", "openesc env ls acme", "openesc env ls -p payments", "openesc env ls acme -p payments --output json"]);
  return cmd.action(async (org: string | undefined, flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const request = { org: org ?? (flags.project !== undefined ? client.defaultOrg : ""), project: flags.project ?? "" };
    const environments = await allPages(async (pageToken) => {
      const page = await client.environments.listEnvironments({ ...request, pageSize: 1000, pageToken });
      return { items: page.environments, next: page.nextPageToken };
    });
    if (format === "json") {
      writeJson(ctx, environments.map((e) => messageJson(EnvironmentSchema, e)));
      return;
    }
    for (const e of environments) ctx.stdout.write(`${e.org}/${e.project}/${e.name}\n`);
  });
}
