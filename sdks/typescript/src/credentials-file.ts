import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { InvalidError } from "./errors.js";

/** One server in the CLI credentials file (written by `openesc login`). */
export interface StoredServer {
  readonly token?: string;
  readonly org?: string;
  readonly insecure?: boolean;
  readonly caFile?: string;
}

/** The CLI credentials file: `{current, servers: {URL: {token, org?, insecure?, caFile?}}}`. */
export interface StoredCredentials {
  readonly current?: string;
  readonly servers: Readonly<Record<string, StoredServer>>;
}

/** `$OPENESC_HOME/credentials.json`, else `~/.openesc/credentials.json`. */
export function credentialsFilePath(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.OPENESC_HOME;
  return join(home !== undefined && home !== "" ? home : join(homedir(), ".openesc"), "credentials.json");
}

/** Reads the credentials file; a missing file is empty, a broken one an InvalidError. */
export function readCredentialsFile(env: Readonly<Record<string, string | undefined>>): StoredCredentials {
  const path = credentialsFilePath(env);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { servers: {} };
    throw new InvalidError(`cannot read ${path}: ${(e as Error).message}`, Code.FailedPrecondition);
  }
  try {
    const parsed = JSON.parse(text) as { current?: unknown; servers?: unknown };
    const servers = typeof parsed.servers === "object" && parsed.servers !== null ? (parsed.servers as Record<string, StoredServer>) : {};
    return typeof parsed.current === "string" ? { current: parsed.current, servers } : { servers };
  } catch {
    throw new InvalidError(`${path} is not valid JSON; fix it or log in again`, Code.FailedPrecondition);
  }
}

/** A server URL as the CLI stores it: http(s), lower-case host, no trailing slash. */
export function normalizeServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidError(`invalid server URL "${text}": expected http://HOST:PORT or https://HOST:PORT`, Code.InvalidArgument);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidError(`invalid server URL "${text}": expected http:// or https://`, Code.InvalidArgument);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
