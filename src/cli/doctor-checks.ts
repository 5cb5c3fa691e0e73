import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { WhoAmIResponse } from "../gen/openesc/v1/identity_pb.js";
import { noTokenMessage, NO_SERVER_MESSAGE, type ResolvedConnection, type SettingSource } from "./client.js";
import { rpcError } from "./errors.js";
import { probeTls, type TlsProbe } from "./tls-probe.js";

/** `ok`, `warn` (works, but look at it), `fail` (broken: exit 1), `skip` (not run: an earlier check failed). */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One line of `openesc doctor`. */
export interface CheckResult {
  readonly name: "server" | "connection" | "tls" | "token" | "version";
  readonly status: CheckStatus;
  readonly message: string;
}

/** What the checks need; `whoAmI` calls the server with the resolved token. */
export interface DoctorInputs {
  readonly connection: ResolvedConnection;
  /** The `--ca-file` contents, when one is set. */
  readonly ca?: Buffer;
  readonly clientVersion: string;
  readonly whoAmI: () => Promise<WhoAmIResponse>;
  readonly timeoutMs: number;
  /** Default: the clock. */
  readonly now?: Date;
}

/** A token that expires sooner than this is a warning. */
export const TOKEN_WARN_DAYS = 7;

/** A certificate that expires sooner than this is a warning. */
export const CERTIFICATE_WARN_DAYS = 14;
const DAY_MS = 86_400_000;

const SOURCE: Readonly<Record<SettingSource, string>> = {
  flag: "from --url",
  environment: "from OPENESC_URL",
  credentials: "from the credentials file",
  none: "",
};

/**
 * Runs the checks in order — server, connection (`/healthz`, `/readyz`), tls, token (WhoAmI),
 * version — and returns one result each. A check whose prerequisite failed is `skip`. Never throws.
 */
export async function runDoctorChecks(inputs: DoctorInputs): Promise<CheckResult[]> {
  const { connection } = inputs;
  const results: CheckResult[] = [];
  const skipRest = (from: CheckResult["name"], why: string) => {
    const names: CheckResult["name"][] = ["connection", "tls", "token", "version"];
    for (const name of names.slice(names.indexOf(from as never))) results.push({ name, status: "skip", message: why });
  };
  if (connection.url === undefined) {
    results.push({ name: "server", status: "fail", message: NO_SERVER_MESSAGE });
    skipRest("connection", "no server");
    return results;
  }
  const url = new URL(connection.url);
  results.push({ name: "server", status: "ok", message: `${connection.url} (${SOURCE[connection.urlSource]})` });

  const reach = await checkConnection(url, inputs);
  results.push(reach.result);
  if (reach.result.status === "fail" && !reach.tlsFailure) {
    skipRest("tls", "the server cannot be reached");
    return results;
  }
  results.push(await checkTls(url, inputs));
  if (reach.result.status === "fail") {
    skipRest("token", "the server cannot be reached");
    return results;
  }
  const who = await checkToken(inputs);
  results.push(who.result);
  results.push(who.response === undefined ? { name: "version", status: "skip", message: "needs a valid token" } : checkVersion(inputs.clientVersion, who.response.serverVersion));
  return results;
}

async function checkConnection(url: URL, inputs: DoctorInputs): Promise<{ result: CheckResult; tlsFailure: boolean }> {
  const fail = (message: string, tlsFailure = false) => ({ result: { name: "connection", status: "fail", message } as CheckResult, tlsFailure });
  let health: { status: number; body: string };
  try {
    health = await get(new URL("/healthz", url), inputs);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && isTlsCode(code)) return fail(`TLS handshake refused: ${(e as Error).message} (see the tls check)`, true);
    return fail(`cannot reach ${url.origin}: ${describeNetworkError(e)}`);
  }
  if (health.status !== 200) return fail(`GET /healthz answered HTTP ${health.status}: is ${url.origin} an OpenESC server?`);
  let ready: number;
  try {
    ready = (await get(new URL("/readyz", url), inputs)).status;
  } catch (e) {
    return fail(`GET /readyz failed: ${describeNetworkError(e)}`);
  }
  if (ready !== 200) {
    return { result: { name: "connection", status: "warn", message: `${url.origin} answers but is not ready (GET /readyz: HTTP ${ready}): storage unreachable or shutting down` }, tlsFailure: false };
  }
  return { result: { name: "connection", status: "ok", message: `${url.origin} answers: healthy and ready` }, tlsFailure: false };
}

async function checkTls(url: URL, inputs: DoctorInputs): Promise<CheckResult> {
  const { tls } = inputs.connection;
  if (url.protocol === "http:") {
    return isLoopback(url.hostname)
      ? { name: "tls", status: "ok", message: "plain HTTP to a loopback address" }
      : { name: "tls", status: "warn", message: "plain HTTP: the token and secrets cross the network unencrypted (serve with --tls-cert/--tls-key and use https://)" };
  }
  let probe: TlsProbe;
  try {
    probe = await probeTls(url.hostname.replace(/^\[|\]$/g, ""), Number(url.port === "" ? 443 : url.port), inputs.ca, inputs.timeoutMs);
  } catch (e) {
    return { name: "tls", status: "fail", message: `TLS handshake failed: ${describeNetworkError(e)}` };
  }
  const now = inputs.now ?? new Date();
  const until = `valid until ${isoSeconds(probe.validTo)}`;
  const certificate = `certificate for ${probe.subject} issued by ${probe.issuer}`;
  if (!probe.authorized) {
    const reason = humanTlsError(probe.authorizationError);
    if (tls.insecure === true) return { name: "tls", status: "warn", message: `${certificate} is NOT verified (--insecure): ${reason}` };
    return { name: "tls", status: "fail", message: `${certificate} is not trusted: ${reason} (pass --ca-file FILE, or --insecure)` };
  }
  const trust = tls.caFile !== undefined ? `, trusted through --ca-file ${tls.caFile}` : "";
  const left = probe.validTo.getTime() - now.getTime();
  // Node verifies against the clock too; this catches a certificate that expires while cached sessions live on
  if (left <= 0) return { name: "tls", status: "fail", message: `${certificate} expired at ${isoSeconds(probe.validTo)}: renew it` };
  if (probe.validFrom.getTime() > now.getTime()) return { name: "tls", status: "fail", message: `${certificate} is not valid before ${isoSeconds(probe.validFrom)}` };
  if (left < CERTIFICATE_WARN_DAYS * DAY_MS) {
    const days = Math.floor(left / DAY_MS);
    const when = days < 1 ? "within a day" : `in ${days} day${days === 1 ? "" : "s"}`;
    return { name: "tls", status: "warn", message: `${certificate} expires ${when} (${until}${trust}): renew it` };
  }
  return { name: "tls", status: "ok", message: `${probe.protocol}, ${certificate}, ${until}${trust}` };
}

async function checkToken(inputs: DoctorInputs): Promise<{ result: CheckResult; response?: WhoAmIResponse }> {
  const { connection } = inputs;
  if (connection.token === undefined) {
    return { result: { name: "token", status: "fail", message: noTokenMessage(connection.url ?? "") } };
  }
  try {
    const who = await inputs.whoAmI();
    const from = connection.tokenSource === "flag" ? "--token" : connection.tokenSource === "environment" ? "OPENESC_TOKEN" : "the credentials file";
    const message = `token ${who.tokenId} (from ${from}) acts as ${who.login} in org ${who.org} (role ${who.role})`;
    if (who.tokenExpireTime === undefined) return { result: { name: "token", status: "ok", message }, response: who };
    const expires = timestampDate(who.tokenExpireTime);
    const left = expires.getTime() - (inputs.now ?? new Date()).getTime();
    if (left < TOKEN_WARN_DAYS * DAY_MS) {
      const days = Math.floor(left / DAY_MS);
      const when = days < 1 ? "within a day" : `in ${days} day${days === 1 ? "" : "s"}`;
      return {
        result: { name: "token", status: "warn", message: `${message}; it expires ${when} (${isoSeconds(expires)}): create another with \`openesc admin token create\`` },
        response: who,
      };
    }
    return { result: { name: "token", status: "ok", message: `${message}; expires ${isoSeconds(expires)}` }, response: who };
  } catch (e) {
    return { result: { name: "token", status: "fail", message: rpcError(e).message } };
  }
}

/**
 * Same version: ok. Same major version: warn (new features may be missing on one side). Another
 * major version: fail (semver: the contract may have changed incompatibly).
 */
export function checkVersion(client: string, server: string): CheckResult {
  if (server === "") return { name: "version", status: "warn", message: `the server does not report its version (client ${client})` };
  if (server === client) return { name: "version", status: "ok", message: `server ${server}, client ${client}` };
  const major = (v: string) => /^v?(\d+)\./.exec(v)?.[1];
  if (major(server) !== undefined && major(server) === major(client)) {
    return { name: "version", status: "warn", message: `server ${server}, client ${client}: versions differ; upgrade the older one` };
  }
  return { name: "version", status: "fail", message: `server ${server}, client ${client}: different major versions may not work together; install client ${server}` };
}

function get(target: URL, inputs: DoctorInputs): Promise<{ status: number; body: string }> {
  const { tls } = inputs.connection;
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: "GET",
        timeout: inputs.timeoutMs,
        ...(target.protocol === "https:" ? { rejectUnauthorized: tls.insecure !== true, ...(inputs.ca !== undefined ? { ca: inputs.ca } : {}) } : {}),
      },
      (res: IncomingMessage) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk.slice(0, 4096)));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${inputs.timeoutMs / 1000} s`), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end();
  });
}

function describeNetworkError(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (is the server running, on this port?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unknown host";
    case "ETIMEDOUT":
      return (e as Error).message.startsWith("no answer") ? (e as Error).message : "timed out";
    case "ECONNRESET":
      return "connection reset (TLS to a plain HTTP server, or a proxy in the way?)";
    case "EPROTO":
      return "protocol error (https:// to a plain HTTP server?)";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

function humanTlsError(code: string | undefined): string {
  switch (code) {
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
      return "self-signed certificate";
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return "self-signed certificate in the chain";
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
      return "issued by an unknown CA";
    case "CERT_HAS_EXPIRED":
      return "the certificate has expired";
    case "CERT_NOT_YET_VALID":
      return "the certificate is not valid yet";
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return "the certificate does not name this host";
    default:
      return code ?? "unknown reason";
  }
}

function isTlsCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL/.test(code);
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127\./.test(host);
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
