import { readFileSync } from "node:fs";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AuditService } from "../gen/openesc/v1/audit_pb.js";
import { EnvironmentService } from "../gen/openesc/v1/environment_pb.js";
import { EnvironmentTagService } from "../gen/openesc/v1/environment_tag_pb.js";
import { IdentityService } from "../gen/openesc/v1/identity_pb.js";
import { OpenService } from "../gen/openesc/v1/open_pb.js";
import { RevisionService } from "../gen/openesc/v1/revision_pb.js";
import { RevisionTagService } from "../gen/openesc/v1/revision_tag_pb.js";
import { TokenService } from "../gen/openesc/v1/token_pb.js";
import { GrantService } from "../gen/openesc/v1/grant_pb.js";
import { MemberService } from "../gen/openesc/v1/member_pb.js";
import { OrganizationService } from "../gen/openesc/v1/organization_pb.js";
import { ServiceAccountService } from "../gen/openesc/v1/service_account_pb.js";
import { TeamService } from "../gen/openesc/v1/team_pb.js";
import { TrustPolicyService } from "../gen/openesc/v1/trust_policy_pb.js";
import { CliError, type CliContext } from "./context.js";
import { normalizeServerUrl, readCredentials } from "./credentials.js";
import { DEFAULT_ORG } from "./reference.js";

/** The connection flags every client command takes (`cli.md` "Connecting"). */
export interface ConnectionFlags {
  readonly url?: string;
  readonly token?: string;
  readonly insecure?: boolean;
  readonly caFile?: string;
}

/** Typed clients of every service, bound to one server and token. */
export interface CliClient {
  readonly url: string;
  /** The org of two-part references: the one stored at login, else `default`. */
  readonly defaultOrg: string;
  readonly environments: Client<typeof EnvironmentService>;
  readonly revisions: Client<typeof RevisionService>;
  readonly revisionTags: Client<typeof RevisionTagService>;
  readonly environmentTags: Client<typeof EnvironmentTagService>;
  readonly identity: Client<typeof IdentityService>;
  readonly tokens: Client<typeof TokenService>;
  readonly open: Client<typeof OpenService>;
  readonly audit: Client<typeof AuditService>;
  readonly organizations: Client<typeof OrganizationService>;
  readonly members: Client<typeof MemberService>;
  readonly serviceAccounts: Client<typeof ServiceAccountService>;
  readonly teams: Client<typeof TeamService>;
  readonly grants: Client<typeof GrantService>;
  readonly trustPolicies: Client<typeof TrustPolicyService>;
}

/** Where a connection setting came from, for `openesc doctor`. */
export type SettingSource = "flag" | "environment" | "credentials" | "none";

/** The server, token and TLS settings a command uses, and where each came from. */
export interface ResolvedConnection {
  /** The normalised server URL; undefined when none is known. */
  readonly url?: string;
  readonly urlSource: SettingSource;
  readonly token?: string;
  readonly tokenSource: SettingSource;
  readonly tls: ConnectionFlags;
  /** The org of two-part references: the one stored at login, else `default`. */
  readonly defaultOrg: string;
}

/**
 * Resolves the connection from flags, then `OPENESC_URL`/`OPENESC_TOKEN`, then the credentials
 * file (`cli.md` "Connecting": the variables win over the file, flags over both).
 */
export function resolveConnection(ctx: CliContext, flags: ConnectionFlags): ResolvedConnection {
  const credentials = readCredentials(ctx.env);
  const [rawUrl, urlSource] = pick(flags.url, ctx.env.OPENESC_URL, credentials.current);
  if (rawUrl === undefined) return { urlSource, tokenSource: "none", tls: {}, defaultOrg: DEFAULT_ORG };
  const url = normalizeServerUrl(rawUrl);
  const stored = credentials.servers[url];
  const [token, tokenSource] = pick(flags.token, ctx.env.OPENESC_TOKEN, stored?.token);
  // TLS settings stored at login apply unless flags say otherwise
  const tls: ConnectionFlags = {
    insecure: flags.insecure ?? stored?.insecure,
    caFile: flags.caFile ?? stored?.caFile,
  };
  return { url, urlSource, ...(token !== undefined ? { token } : {}), tokenSource, tls, defaultOrg: stored?.org ?? DEFAULT_ORG };
}

function pick(flag: string | undefined, variable: string | undefined, stored: string | undefined): [string | undefined, SettingSource] {
  if (flag !== undefined) return [flag, "flag"];
  if (nonEmpty(variable) !== undefined) return [variable, "environment"];
  if (stored !== undefined) return [stored, "credentials"];
  return [undefined, "none"];
}

/** The message of a command run with no server known. */
export const NO_SERVER_MESSAGE = "no server: log in with `openesc login URL`, or pass --url or set OPENESC_URL";

/** The message of a command run with no token known for `url`. */
export function noTokenMessage(url: string): string {
  return `no token for ${url}: log in with \`openesc login ${url}\`, or pass --token or set OPENESC_TOKEN`;
}

/**
 * Builds the client from flags, then `OPENESC_URL`/`OPENESC_TOKEN`, then the credentials file.
 * When no server or no token is known, every call fails with that CliError (as its cause), so
 * that a command still reports its usage errors first.
 */
export function createCliClient(ctx: CliContext, flags: ConnectionFlags): CliClient {
  if (ctx.clients !== undefined) return ctx.clients(flags);
  const c = resolveConnection(ctx, flags);
  if (c.url === undefined) return createClientFor("http://127.0.0.1", "", {}, DEFAULT_ORG, new CliError(NO_SERVER_MESSAGE));
  if (c.token === undefined) return createClientFor(c.url, "", {}, c.defaultOrg, new CliError(noTokenMessage(c.url)));
  return createClientFor(c.url, c.token, c.tls, c.defaultOrg);
}

/**
 * Clients for an explicit server and token (login uses it before anything is stored). With
 * `unusable`, every call fails with it instead of reaching the network.
 */
export function createClientFor(url: string, token: string, tls: ConnectionFlags, defaultOrg: string = DEFAULT_ORG, unusable?: CliError): CliClient {
  return createClientsOver(createTransport(url, token, tls, unusable), url, defaultOrg);
}

/** Clients of every service over one transport (an in-process router transport in tests). */
export function createClientsOver(transport: Transport, url: string, defaultOrg: string = DEFAULT_ORG): CliClient {
  return {
    url,
    defaultOrg,
    environments: createClient(EnvironmentService, transport),
    revisions: createClient(RevisionService, transport),
    revisionTags: createClient(RevisionTagService, transport),
    environmentTags: createClient(EnvironmentTagService, transport),
    identity: createClient(IdentityService, transport),
    tokens: createClient(TokenService, transport),
    open: createClient(OpenService, transport),
    audit: createClient(AuditService, transport),
    organizations: createClient(OrganizationService, transport),
    members: createClient(MemberService, transport),
    serviceAccounts: createClient(ServiceAccountService, transport),
    teams: createClient(TeamService, transport),
    grants: createClient(GrantService, transport),
    trustPolicies: createClient(TrustPolicyService, transport),
  };
}

// Connect over HTTP/1.1: the server routes HTTP/1.1 to connect-node and h2c to grpc-js (gRPC only).
function createTransport(url: string, token: string, tls: ConnectionFlags, unusable: CliError | undefined): Transport {
  // Without a server or token nothing is sent: fail at once, with no transport timer keeping the process alive.
  if (unusable !== undefined) return failingTransport(unusable);
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  const nodeOptions: { rejectUnauthorized?: boolean; ca?: Buffer } = {};
  if (tls.insecure === true) nodeOptions.rejectUnauthorized = false;
  if (tls.caFile !== undefined) nodeOptions.ca = readCaFile(tls.caFile);
  return createConnectTransport({
    baseUrl: url,
    httpVersion: "1.1",
    useBinaryFormat: true,
    interceptors: [bearer],
    nodeOptions,
    defaultTimeoutMs: 60_000,
  });
}

/** The PEM bundle of `--ca-file`; an unreadable file is a usage error. */
export function readCaFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot read --ca-file ${file}: ${(e as Error).message}`, 2);
  }
}

function failingTransport(error: CliError): Transport {
  return {
    unary: () => Promise.reject(error),
    stream: () => Promise.reject(error),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
