import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "../store/index.js";
import { mintToken } from "./token-secret.js";

/** The org every fresh server starts with. */
export const DEFAULT_ORG = "default";
/** The login of the first admin identity. */
export const BOOTSTRAP_ADMIN = "admin";

/** What the first start created; undefined fields mean nothing was created. */
export interface BootstrapResult {
  /** The admin token's secret, to print once; undefined when the server was already set up. */
  readonly adminToken?: string;
  readonly adminTokenFile?: string;
}

/**
 * On the very first start (no identities), creates org `default`, the admin identity and an API
 * token, writes the token to `DATA_DIR/admin.token` (mode 0600) and returns it for printing once.
 * Later starts change nothing.
 */
export async function bootstrapServer(store: Store, dataDir: string | undefined): Promise<BootstrapResult> {
  if ((await store.identities.countIdentities()) > 0) return {};
  const token = mintToken();
  await store.transaction(async (tx) => {
    const orgs = await tx.organizations.list({ pageSize: 1, pageToken: "" });
    if (orgs.items.length === 0) {
      await tx.organizations.create({ name: DEFAULT_ORG, description: "The default organization" });
    }
    const admin = await tx.identities.createIdentity({ org: DEFAULT_ORG, login: BOOTSTRAP_ADMIN, kind: "user", role: "admin" });
    await tx.identities.createToken({
      id: token.id,
      identityId: admin.id,
      description: "bootstrap admin token",
      secretHash: token.secretHash,
      expiresAt: null,
    });
  });
  if (dataDir === undefined) return { adminToken: token.secret };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, "admin.token");
  await writeFile(file, `${token.secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { adminToken: token.secret, adminTokenFile: file };
}
