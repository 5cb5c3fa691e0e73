/**
 * The server settings of dynamic credentials, from `openesc serve` flags or `OPENESC_*` variables
 * (flags win): the issuer's public URL, the signing keys' grace and refresh periods, the provider
 * time-out and the AWS endpoint override. Errors are plain messages naming the flag.
 */
import { DEFAULT_GRACE_MS, DEFAULT_REFRESH_MS } from "../oidc/index.js";
import { DEFAULT_PROVIDER_TIMEOUT_MS } from "./builtin-providers.js";

export interface DynamicCredentialsFlags {
  readonly publicUrl?: string;
  readonly providerTimeoutMs?: string;
  readonly awsEndpointUrl?: string;
  readonly oidcKeyGraceSeconds?: string;
}

export interface DynamicCredentialsConfig {
  /** The OIDC issuer URL (`iss`); undefined: the URL the server listens on. */
  readonly publicUrl?: string;
  readonly providerTimeoutMs: number;
  readonly awsEndpointUrl?: string;
  /** How long a rotated-out signing key stays in the JWKS. */
  readonly oidcKeyGraceMs: number;
  /** How often signing keys are re-read from the database (rotations by other processes). */
  readonly oidcKeyRefreshMs: number;
}

export function resolveDynamicCredentialsConfig(flags: DynamicCredentialsFlags, env: NodeJS.ProcessEnv): DynamicCredentialsConfig {
  const publicUrl = url("--public-url", flags.publicUrl ?? env.OPENESC_PUBLIC_URL);
  const awsEndpointUrl = url("--aws-endpoint-url", flags.awsEndpointUrl ?? env.OPENESC_AWS_ENDPOINT_URL);
  return {
    ...(publicUrl === undefined ? {} : { publicUrl }),
    ...(awsEndpointUrl === undefined ? {} : { awsEndpointUrl }),
    providerTimeoutMs: integer("--provider-timeout-ms", flags.providerTimeoutMs ?? env.OPENESC_PROVIDER_TIMEOUT_MS, DEFAULT_PROVIDER_TIMEOUT_MS, 1, 600_000),
    oidcKeyGraceMs: integer("--oidc-key-grace-seconds", flags.oidcKeyGraceSeconds ?? env.OPENESC_OIDC_KEY_GRACE_SECONDS, DEFAULT_GRACE_MS / 1000, 0, 90 * 86_400) * 1000,
    oidcKeyRefreshMs: integer("OPENESC_OIDC_KEY_REFRESH_MS", env.OPENESC_OIDC_KEY_REFRESH_MS, DEFAULT_REFRESH_MS, 0, 3_600_000),
  };
}

function url(name: string, text: string | undefined): string | undefined {
  if (text === undefined || text === "") return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`invalid ${name} "${text}": expected an http(s) URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`invalid ${name} "${text}": expected an http(s) URL`);
  if (parsed.search !== "" || parsed.hash !== "") throw new Error(`invalid ${name} "${text}": no query or fragment allowed`);
  return text.replace(/\/+$/, "");
}

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`invalid ${name} "${text}": expected an integer from ${min} to ${max}`);
  return n;
}
