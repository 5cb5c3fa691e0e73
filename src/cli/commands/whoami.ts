import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { outputFormat, writeJson } from "../output.js";

/** `openesc whoami`: the identity, org and token of the caller. */
export function whoamiCommand(ctx: CliContext): Command {
  const cmd = new Command("whoami").description("show who the current token acts as");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc whoami", "openesc whoami --output json"]);
  return cmd.action(async (flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const who = await client.identity.whoAmI({});
    if (format === "json") {
      writeJson(ctx, { url: client.url, login: who.login, org: who.org, role: who.role, tokenId: who.tokenId, serverVersion: who.serverVersion });
      return;
    }
    ctx.stdout.write(
      `User:   ${who.login}\nOrg:    ${who.org}\nRole:   ${who.role}\nToken:  ${who.tokenId}\nServer: ${client.url} (version ${who.serverVersion})\n`,
    );
  });
}
