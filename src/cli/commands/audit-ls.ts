import { Command, Option } from "commander";
import { AuditEventSchema, type AuditEvent } from "../../gen/openesc/v1/audit_pb.js";
import { auditFilterOf, auditOrgOf, withAuditFilter, withAuditScope, type AuditFilterFlags } from "../audit-flags.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";

interface Flags extends ClientFlags, AuditFilterFlags {
  readonly limit: string;
}

/** `openesc audit ls`: an org's audit events, newest first, filtered. */
export function auditLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").alias("list").summary("list audit events").description("list audit events, newest first (needs the org role admin or auditor)");
  withOutput(withConnection(withAuditFilter(withAuditScope(cmd))));
  cmd.addOption(new Option("--limit <n>", "at most this many events (0: all)").default("100"));
  withExamples(cmd, [
    "openesc audit ls",
    "openesc audit ls --env payments/prod --since 24h",
    "openesc audit ls --outcome permission_denied --output json",
    "openesc audit ls --system --outcome unauthenticated",
  ]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    if (!/^\d{1,9}$/.test(flags.limit)) throw usageError(`--limit "${flags.limit}": expected a number`);
    const limit = Number(flags.limit);
    const client = createCliClient(ctx, flags);
    const org = auditOrgOf(flags, client.defaultOrg);
    const filter = auditFilterOf(flags, client.defaultOrg, Date.now());
    const events: AuditEvent[] = [];
    let pageToken = "";
    do {
      const want = limit === 0 ? 1000 : Math.min(1000, limit - events.length);
      const page = await client.audit.listAuditEvents({ org, filter, pageSize: want, pageToken });
      events.push(...page.events);
      pageToken = page.nextPageToken;
    } while (pageToken !== "" && (limit === 0 || events.length < limit));
    if (format === "json") {
      writeJson(ctx, events.map((e) => messageJson(AuditEventSchema, e)));
      return;
    }
    writeTable(
      ctx,
      ["SEQ", "TIME", "ACTOR", "ACTION", "RESOURCE", "REV", "OUTCOME", "SOURCE"],
      events.map((e) => [
        String(e.sequence),
        formatTime(e.time),
        e.actor === "" ? "-" : e.actor,
        e.action.replace(/^openesc\.v1\./, ""),
        [e.org, e.project, e.environment].filter((p) => p !== "").join("/") || "-",
        e.revision === 0n ? "-" : String(e.revision),
        e.outcome,
        e.sourceAddress,
      ]),
    );
  });
}
