import { Command } from "commander";
import { auditOrgOf, withAuditScope, type AuditScopeFlags } from "../audit-flags.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { CliError, type CliContext } from "../context.js";
import { outputFormat, writeJson } from "../output.js";

type Flags = ClientFlags & AuditScopeFlags;

/** `openesc audit verify`: checks an org's hash chain; exit 1 naming the first broken event. */
export function auditVerifyCommand(ctx: CliContext): Command {
  const cmd = new Command("verify").summary("verify the audit log's hash chain").description(
    "recompute every event's hash and link; exit 1 naming the first broken event. Keep the printed last hash elsewhere: a later verify that does not reach it shows a rewritten tail",
  );
  withOutput(withConnection(withAuditScope(cmd)));
  withExamples(cmd, ["openesc audit verify", "openesc audit verify --org acme --output json"]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const org = auditOrgOf(flags, client.defaultOrg);
    const result = await client.audit.verifyAuditLog({ org });
    const name = org === "" ? "the system chain" : `org ${org}`;
    if (format === "json") {
      writeJson(ctx, {
        org,
        ok: result.ok,
        eventsChecked: Number(result.eventsChecked),
        lastSequence: Number(result.lastSequence),
        lastHash: result.lastHash,
        ...(result.ok ? {} : { firstBrokenSequence: Number(result.firstBrokenSequence), reason: result.reason }),
      });
    } else if (result.ok) {
      ctx.stdout.write(`audit log of ${name}: ${result.eventsChecked} events verified; last event ${result.lastSequence} ${result.lastHash}\n`);
    }
    if (!result.ok) throw new CliError(`audit log of ${name} is broken at event ${result.firstBrokenSequence}: ${result.reason}`);
  });
}
