import { Command } from "commander";
import { TokenSchema } from "../../gen/openesc/v1/token_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { formatTime, messageJson, outputFormat, writeJson } from "../output.js";

interface Flags extends ClientFlags {
  readonly description?: string;
  readonly expires?: string;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Parses `30d`, `12h`, `45m`, `90s`, `2w` into seconds; `never` is 0. Undefined when malformed. */
export function parseExpiry(text: string): bigint | undefined {
  if (text === "never") return 0n;
  const m = /^([1-9][0-9]{0,6})([smhdw])$/.exec(text);
  if (m === null) return undefined;
  return BigInt(Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number));
}

/** `openesc admin token create`: prints the new token's secret, once. */
export function adminTokenCreateCommand(ctx: CliContext): Command {
  const cmd = new Command("create")
    .summary("create an API token")
    .description("create an API token for the calling identity; its secret is printed on stdout once (details on stderr)")
    .option("--description <text>", "what the token is for")
    .option("--expires <duration>", "lifetime: 30d, 12h, 45m, 2w, or never", "never");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc admin token create --description ci --expires 30d",
    "TOKEN=$(openesc admin token create --description deploy)",
    "openesc admin token create --expires 12h --output json",
  ]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const ttlSeconds = parseExpiry(flags.expires ?? "never");
    if (ttlSeconds === undefined) throw usageError(`invalid --expires "${flags.expires}": expected a number with s, m, h, d or w (30d, 12h), or never`);
    const client = createCliClient(ctx, flags);
    const res = await client.tokens.createToken({ description: flags.description ?? "", ttlSeconds });
    if (format === "json") {
      return void writeJson(ctx, { token: res.token === undefined ? null : messageJson(TokenSchema, res.token), secret: res.secret });
    }
    const expires = res.token?.expireTime === undefined ? "never expires" : `expires ${formatTime(res.token.expireTime)}`;
    ctx.stderr.write(`Created token ${res.token?.id ?? ""} (${expires}). Its secret is shown only this once:\n`);
    ctx.stdout.write(`${res.secret}\n`);
  });
}
