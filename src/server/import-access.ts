/**
 * Checks each import as the evaluator loads it (issue 6: opening needs `open` on the environment
 * AND on every environment it imports, transitively). The check runs before the import's
 * definition is read, so nothing of a refused import reaches the evaluation. An import the caller
 * cannot `read` fails exactly like a missing one ("not found"); a readable import without the
 * needed permission is remembered, and the call is then refused with PermissionDenied naming it.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { permits, type Permission } from "../auth/index.js";
import type { EnvironmentLoader } from "../esc/index.js";
import type { EnvironmentKey } from "../store/index.js";
import { parseImportName } from "./environment-loader.js";
import type { AccessGuard } from "./rpc/authorize.js";

export interface ImportAccess {
  /** Wraps a loader of `org`'s environments so that every import is checked first. */
  guard(loader: EnvironmentLoader, org: string): EnvironmentLoader;
  /** The refusal of the first readable import that lacked the permission; undefined when none did. */
  refused(): ConnectError | undefined;
}

/** Import checks for one call: each import needs `need` (open for opening, read for checking). */
export function createImportAccess(access: AccessGuard, need: Permission): ImportAccess {
  let first: ConnectError | undefined;
  return {
    guard(loader, org) {
      return {
        async load(name, version) {
          const key: EnvironmentKey = parseImportName(org, name);
          const resource = { org: key.org, project: key.project, environment: key.name };
          const have = await access.permissionOn(resource);
          if (!permits(have, "read")) {
            throw new Error(`environment "${version === undefined ? name : `${name}@${version}`}" not found`);
          }
          if (!permits(have, need)) {
            const message = `permission denied: needs "${need}" on imported environment "${key.org}/${key.project}/${key.name}"`;
            first ??= new ConnectError(message, Code.PermissionDenied);
            throw new Error(message);
          }
          return loader.load(name, version);
        },
      };
    },
    refused: () => first,
  };
}
