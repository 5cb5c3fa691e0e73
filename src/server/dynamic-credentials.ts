/**
 * Start-up of dynamic credentials: the OIDC signing keys (the first one created unless the database
 * has one), the issuer at the public URL, and the built-in providers with the configured time-out
 * and AWS endpoint.
 */
import type { SecretCrypto } from "../crypto/index.js";
import { createOidcIssuer, createSigningKeys, type OidcIssuer } from "../oidc/index.js";
import { createBuiltinProviders, type BuiltinProviders, type DynamicCredentialsConfig } from "../providers/index.js";
import { createOidcKeyRepository, type Store } from "../store/index.js";

export interface DynamicCredentials {
  readonly issuer: OidcIssuer;
  readonly providers: BuiltinProviders;
  /** Tells the issuer the URL the server listens on (its `iss` unless --public-url is set). */
  setServerUrl(url: string): void;
}

export async function startDynamicCredentials(config: DynamicCredentialsConfig, store: Store, crypto: SecretCrypto): Promise<DynamicCredentials> {
  const keys = createSigningKeys({
    repository: createOidcKeyRepository(store.db),
    sealer: crypto,
    graceMs: config.oidcKeyGraceMs,
    refreshMs: config.oidcKeyRefreshMs,
  });
  await keys.ensureActive();
  let serverUrl = "http://127.0.0.1";
  const issuer = createOidcIssuer({ keys, publicUrl: () => config.publicUrl ?? serverUrl });
  const providers = createBuiltinProviders({
    issuer,
    timeoutMs: config.providerTimeoutMs,
    ...(config.awsEndpointUrl === undefined ? {} : { awsEndpoint: config.awsEndpointUrl }),
  });
  return {
    issuer,
    providers,
    setServerUrl(url) {
      serverUrl = url;
    },
  };
}
