import { once } from "node:events";
import { Command } from "commander";
import { auditFilterOf, auditOrgOf, withAuditFilter, withAuditScope, type AuditFilterFlags } from "../audit-flags.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { withProgress } from "../progress.js";

type Flags = ClientFlags & AuditFilterFlags;

/** `openesc audit export > FILE`: an org's audit events, oldest first, as NDJSON on stdout. */
export function auditExportCommand(ctx: CliContext): Command {
  const cmd = new Command("export")
    .summary("export audit events as NDJSON")
    .description(
      "write audit events, oldest first, to stdout as NDJSON (one JSON object per line, with each event's hash links): the whole log by sequence number, a --since/--until window by event time (ties by sequence number)",
    );
  withConnection(withAuditFilter(withAuditScope(cmd)));
  withExamples(cmd, ["openesc audit export > audit.ndjson", "openesc audit export --org acme --since 2026-01-01 > acme-2026.ndjson"]);
  return cmd.action(async (flags: Flags) => {
    const client = createCliClient(ctx, flags);
    const org = auditOrgOf(flags, client.defaultOrg);
    const filter = auditFilterOf(flags, client.defaultOrg, Date.now());
    // a count on stderr when it is a terminal (stdout is usually a file here)
    await withProgress(ctx, `Exporting audit events of ${org}`, async (progress) => {
      let events = 0;
      // An export runs as long as it takes: no call time-out.
    for await (const chunk of client.audit.exportAuditEvents({ org, filter }, { timeoutMs: 0 })) {
        // Respect back-pressure: an export can be far larger than memory.
        if (!ctx.stdout.write(chunk.ndjson)) await once(ctx.stdout, "drain");
        // one event per line: count the newline bytes
        for (const byte of chunk.ndjson) if (byte === 0x0a) events++;
        progress.update(`${events} event${events === 1 ? "" : "s"}`);
      }
    });
  });
}
