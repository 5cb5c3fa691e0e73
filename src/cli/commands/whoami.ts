import { Command } from "commander";
import { TokenScopeSchema } from "../../gen/openesc/v1/token_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { formatTime, messageJson, outputFormat, writeJson } from "../output.js";

/** `openesc whoami`: the identity, org and token of the caller. */
export function whoamiCommand(ctx: CliContext): Command {
  const cmd = new Command("whoami").description("show who the current token acts as: identity, org, role, teams, the token's scope and expiry");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc whoami", "openesc whoami --output json"]);
  return cmd.action(async (flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const who = await client.identity.whoAmI({});
    if (format === "json") {
      writeJson(ctx, {
        url: client.url,
        login: who.login,
        kind: who.kind,
        org: who.org,
        role: who.role,
        teams: who.teams,
        tokenId: who.tokenId,
        scope: who.scope === undefined ? null : messageJson(TokenScopeSchema, who.scope),
        tokenExpireTime: who.tokenExpireTime === undefined ? null : formatTime(who.tokenExpireTime),
        serverVersion: who.serverVersion,
      });
      return;
    }
    // the lines beyond the first five appear only when they say something (a team, a scope, an expiry)
    const kind = who.kind !== "" && who.kind !== "user" ? ` (${who.kind.replaceAll("_", " ")})` : "";
    let out = `User:   ${who.login}${kind}\nOrg:    ${who.org}\nRole:   ${who.role}\n`;
    if (who.teams.length > 0) out += `Teams:  ${who.teams.join(", ")}\n`;
    out += `Token:  ${who.tokenId}\n`;
    const scope = who.scope;
    if (scope !== undefined && (scope.permission !== "" || scope.resources.length > 0)) {
      out += `Scope:  ${scope.permission !== "" ? `at most ${scope.permission}` : "any permission"}${scope.resources.length > 0 ? ` on ${scope.resources.join(", ")}` : ""}\n`;
    }
    if (who.tokenExpireTime !== undefined) out += `Expiry: ${formatTime(who.tokenExpireTime)}\n`;
    out += `Server: ${client.url} (version ${who.serverVersion})\n`;
    ctx.stdout.write(out);
  });
}
