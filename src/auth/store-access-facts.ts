import { createGrantRepository, type Store } from "../store/index.js";
import type { AccessFactsSource } from "./authorizer.js";
import { parsePermission, parsePermissionLevel, type Permission } from "./permission.js";

/** Loads a caller's access facts from the store: two queries (org default, applicable grants). */
export function createStoreAccessFacts(store: Store): AccessFactsSource {
  const grants = createGrantRepository(store.db);
  return {
    async load(principal) {
      const [fallback, rows] = await Promise.all([
        grants.defaultPermission(principal.org),
        grants.forCaller({ org: principal.org, identityId: principal.identityId, tokenId: principal.tokenId }),
      ]);
      return {
        defaultPermission: parsePermissionLevel(fallback) ?? "none",
        grants: rows.flatMap((r) => {
          const permission = parsePermission(r.permission);
          return permission === undefined ? [] : [{ project: r.project, environment: r.environment, permission: permission as Permission }];
        }),
      };
    },
  };
}
