/**
 * Creating and opening OIDC signing keys: an RS256 key pair (what AWS IAM, Vault and every other
 * relying party accept), its kid the JWK thumbprint, the private half sealed by the crypto module
 * under a system identity that no environment can have (`:` is not allowed in environment names).
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { SecretCrypto } from "../crypto/index.js";
import type { EnvironmentKey, NewOidcKey, OidcKeyRecord } from "../store/index.js";

export const SIGNING_ALGORITHM = "RS256";

/** The identity the private keys are sealed under (its data key is the crypto module's). */
export const OIDC_KEY_OWNER: EnvironmentKey = { org: "openesc:system", project: "oidc", name: "signing-keys" };

/** What sealing needs from the crypto module. */
export type KeySealer = Pick<SecretCrypto, "encrypt" | "decrypt">;

/** A key ready to sign. */
export interface OpenedSigningKey {
  readonly kid: string;
  readonly algorithm: string;
  readonly privateKey: Awaited<ReturnType<typeof importJWK>>;
}

/** Generates a key pair and seals its private half. Call outside store transactions. */
export async function createSigningKey(sealer: KeySealer, now: Date): Promise<NewOidcKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  const plaintext = new TextEncoder().encode(JSON.stringify(privateJwk));
  const privateSealed = await sealer.encrypt(OIDC_KEY_OWNER, plaintext, `oidc-key:${kid}`);
  return {
    kid,
    algorithm: SIGNING_ALGORITHM,
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: "sig" }),
    privateSealed,
    createdAt: now,
  };
}

/** Opens a stored key for signing. */
export async function openSigningKey(sealer: KeySealer, record: OidcKeyRecord): Promise<OpenedSigningKey> {
  const plaintext = await sealer.decrypt(OIDC_KEY_OWNER, record.privateSealed, `oidc-key:${record.kid}`);
  const jwk = JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
  return { kid: record.kid, algorithm: record.algorithm, privateKey: await importJWK(jwk, record.algorithm) };
}
