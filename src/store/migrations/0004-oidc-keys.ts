/**
 * OIDC signing keys (src/oidc): the issuer's key pairs, the private half sealed by the crypto module,
 * shared by every replica through the database. At most one key is active (signs new tokens); retired
 * keys stay in the JWKS for a grace period so tokens they signed keep verifying.
 */
import { sql, type Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("oidc_signing_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("algorithm", "text", (c) => c.notNull())
    // the public JWK as JSON text
    .addColumn("public_jwk", "text", (c) => c.notNull())
    // base64 of the private key sealed by SecretCrypto: never the key itself
    .addColumn("private_sealed", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("retired_at", "bigint")
    .addColumn("active", "integer", (c) => c.notNull())
    .execute();
  // Two replicas starting at once cannot both create an active key: the loser reads the winner's.
  await db.schema.createIndex("oidc_signing_keys_one_active_idx").on("oidc_signing_keys").column("active").unique().where(sql.ref("active"), "=", 1).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("oidc_signing_keys").ifExists().execute();
}
