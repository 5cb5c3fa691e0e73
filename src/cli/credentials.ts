import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CliError } from "./context.js";

/** One server the user logged in to. */
export interface ServerCredentials {
  readonly token: string;
  /** The org WhoAmI returned at login: the default org of two-part references. */
  readonly org?: string;
  /** `--insecure` given at login: do not verify the server's certificate. */
  readonly insecure?: boolean;
  /** `--ca-file` given at login (an absolute path). */
  readonly caFile?: string;
}

/** The contents of `credentials.json`. */
export interface Credentials {
  /** The server used when neither `--url` nor `OPENESC_URL` names one. */
  readonly current?: string;
  readonly servers: Readonly<Record<string, ServerCredentials>>;
}

/** The folder holding `credentials.json`: `$OPENESC_HOME`, else `~/.openesc`. */
export function credentialsDir(env: NodeJS.ProcessEnv): string {
  const home = env.OPENESC_HOME;
  return home !== undefined && home !== "" ? home : join(homedir(), ".openesc");
}

/** The credentials file: `credentialsDir(env)/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  return join(credentialsDir(env), "credentials.json");
}

/** Reads the credentials; a missing file is an empty set, a broken one a clear error. */
export function readCredentials(env: NodeJS.ProcessEnv): Credentials {
  const path = credentialsPath(env);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { servers: {} };
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    const servers = typeof parsed.servers === "object" && parsed.servers !== null ? parsed.servers : {};
    return typeof parsed.current === "string" ? { current: parsed.current, servers } : { servers };
  } catch {
    throw new CliError(`${path} is not valid JSON; fix or delete it and log in again`);
  }
}

/** Writes the credentials atomically with mode 0600 (the folder 0700). */
export function writeCredentials(env: NodeJS.ProcessEnv, credentials: Credentials): void {
  const dir = credentialsDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = credentialsPath(env);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Normalises a server URL: http(s) only, no trailing slash. Throws a usage error otherwise. */
export function normalizeServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`invalid server URL "${text}": expected http://HOST:PORT or https://HOST:PORT`, 2);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`invalid server URL "${text}": expected http:// or https://`, 2);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
