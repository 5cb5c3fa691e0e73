import type { ServiceImpl } from "@connectrpc/connect";
import { EnvironmentService } from "../../gen/openesc/v1/environment_pb.js";
import { callDetailsOf, principalOf } from "../rpc/call-context.js";
import { toEnvironment, toRevision } from "../convert/records.js";
import { checkDefinition, renderJson } from "../../esc/index.js";
import { CHECK_PROVIDERS, checkDefinitionForStore, environmentName, SERVER_LIMITS } from "../definition-check.js";
import { toDiagnostic } from "../convert/diagnostics.js";
import { executionContextOf } from "../execution-context.js";
import { toProtoValue } from "../convert/value.js";
import { createStoreLoader, parseImportName } from "../environment-loader.js";
import { environmentKeyOf, pageRequestOf, validateEnvironmentTag, validateRevision, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";
import { createGrantRepository, type EnvironmentKey, type EnvironmentRecord, type Page } from "../../store/index.js";
import { isServerAdmin, permits } from "../../auth/index.js";
import { createImportAccess } from "../import-access.js";
import { accessOf, type AccessGuard } from "../rpc/authorize.js";

/** openesc.v1.EnvironmentService: validate → (authorize) → store → convert. */
export function createEnvironmentService(deps: ServiceDeps): ServiceImpl<typeof EnvironmentService> {
  const { store } = deps;
  return {
    async createEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      const checked = await checkDefinitionForStore(store, key, req.definition, principalOf(ctx));
      // fn::secret plaintext becomes ciphertext before anything is stored (spec §16.2)
      const definition = await deps.crypto.encryptDefinition(checked.definition, key);
      const { environment, revision } = await store.environments.create({ key, definition, author: principalOf(ctx).login });
      return { environment: toEnvironment(environment), revision: toRevision(revision), diagnostics: checked.warnings.map(toDiagnostic) };
    },
    async getEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      const { environment, revision } = await store.environments.getAt(key, req.version);
      callDetailsOf(ctx).revision = revision.number;
      const shown = req.reveal ? { ...revision, definition: await deps.crypto.revealDefinition(revision.definition, key) } : revision;
      return { environment: toEnvironment(environment), revision: toRevision(shown) };
    },
    async updateEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      const baseRevision = validateRevision("base_revision", req.baseRevision);
      const checked = await checkDefinitionForStore(store, key, req.definition, principalOf(ctx));
      const definition = await deps.crypto.encryptDefinition(checked.definition, key);
      const { environment, revision } = await store.environments.update({ key, definition, baseRevision, author: principalOf(ctx).login });
      return { environment: toEnvironment(environment), revision: toRevision(revision), diagnostics: checked.warnings.map(toDiagnostic) };
    },
    async deleteEnvironment(req) {
      const key = environmentKeyOf(req);
      // Its grants go with it: a new environment of the same name starts with none.
      await store.transaction(async (tx) => {
        await tx.environments.delete(key);
        await createGrantRepository(tx.db).removeOnEnvironment(key);
      });
      deps.authorizer.invalidate();
      return {};
    },
    async listEnvironments(req, ctx) {
      const org = req.org === "" ? undefined : validateSegment("org", req.org);
      if (req.project !== "" && org === undefined) validateSegment("org", req.org);
      const project = req.project === "" ? undefined : validateSegment("project", req.project);
      for (const [name, value] of Object.entries(req.tagFilter)) validateEnvironmentTag("tag_filter", name, value);
      // Only what the caller can read; outside its organization (unless a server admin) nothing.
      const access = accessOf(ctx);
      const admin = isServerAdmin(access.principal);
      if (org !== undefined && org !== access.principal.org && !admin) return { environments: [], nextPageToken: "" };
      const scoped = org ?? (admin ? undefined : access.principal.org);
      const page = await readablePage(access, (pageToken) => store.environments.list({ org: scoped, project, tags: req.tagFilter, ...pageRequestOf(req), pageToken }), pageRequestOf(req).pageToken);
      return { environments: page.items.map(toEnvironment), nextPageToken: page.nextPageToken };
    },
    async cloneEnvironment(req, ctx) {
      const source = environmentKeyOf(req);
      const dest = {
        org: source.org,
        project: req.destProject === "" ? source.project : validateSegment("dest_project", req.destProject),
        name: validateSegment("dest_environment", req.destEnvironment),
      };
      // Secrets are re-encrypted under the destination before the copy is written.
      const definitions = await reencryptedRevisions(deps, source, dest, req.preserveHistory);
      const environment = await store.environments.clone({
        source,
        dest,
        author: principalOf(ctx).login,
        preserveHistory: req.preserveHistory,
        preserveRevisionTags: req.preserveRevisionTags,
        preserveEnvironmentTags: req.preserveEnvironmentTags,
        definitions,
      });
      if (req.preserveAccess) {
        await createGrantRepository(store.db).copyEnvironmentGrants(source, dest, principalOf(ctx).login);
        deps.authorizer.invalidate();
      }
      return { environment: toEnvironment(environment) };
    },
    async getEnvironmentSettings(req) {
      const environment = await store.environments.get(environmentKeyOf(req));
      return { settings: { deletionProtected: environment.deletionProtected } };
    },
    async checkEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      let definition = req.definition;
      if (definition === "") {
        const number = await store.environments.resolveVersion(key, req.version);
        definition = (await store.environments.getRevision(key, number)).definition;
      }
      // With reveal, ciphertext of the environment and of each import decrypts with its own key (§14.2).
      // Each import needs `read`, or `open` to reveal its secrets (import-access.ts).
      const imports = createImportAccess(accessOf(ctx), req.reveal ? "open" : "read");
      const base = imports.guard(createStoreLoader(store, key.org), key.org);
      const loader = req.reveal
        ? {
            async load(name: string, version: string | undefined) {
              return { ...(await base.load(name, version)), decrypter: deps.crypto.decrypterFor(parseImportName(key.org, name)) };
            },
          }
        : base;
      const result = await checkDefinition(definition, environmentName(key), {
        loader,
        providers: CHECK_PROVIDERS,
        context: executionContextOf(principalOf(ctx), key.org),
        limits: SERVER_LIMITS,
        ...(req.reveal ? { showSecrets: true, decrypter: deps.crypto.decrypterFor(key) } : {}),
      });
      const refused = imports.refused();
      if (refused !== undefined) throw refused;
      const value = result.environment?.value;
      return {
        diagnostics: result.diagnostics.map(toDiagnostic),
        value: value === undefined ? undefined : toProtoValue(value, { showSecrets: req.reveal, traces: true }),
        valueJson: value === undefined ? "" : renderJson(value, { redact: !req.reveal }),
      };
    },
    async updateEnvironmentSettings(req) {
      const key = environmentKeyOf(req);
      const environment = await store.environments.updateSettings(key, { deletionProtected: req.deletionProtected });
      return { settings: { deletionProtected: environment.deletionProtected } };
    },
  };
}

/** One page of environments the caller can read: store pages are filtered, skipping pages that hold none (bounded). */
async function readablePage(
  access: AccessGuard,
  list: (pageToken: string) => Promise<Page<EnvironmentRecord>>,
  pageToken: string,
): Promise<Page<EnvironmentRecord>> {
  let token = pageToken;
  for (let round = 0; ; round++) {
    const page = await list(token);
    const items: EnvironmentRecord[] = [];
    for (const e of page.items) {
      if (permits(await access.permissionOn({ org: e.org, project: e.project, environment: e.name }), "read")) items.push(e);
    }
    if (items.length > 0 || page.nextPageToken === "" || round >= 20) return { items, nextPageToken: page.nextPageToken };
    token = page.nextPageToken;
  }
}

/** The source's revisions (all, or only the latest) re-encrypted for the destination, by number. */
async function reencryptedRevisions(deps: ServiceDeps, source: EnvironmentKey, dest: EnvironmentKey, all: boolean): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const latest = await deps.store.environments.getAt(source, "");
  if (!all) {
    out.set(latest.revision.number, await deps.crypto.reencryptDefinition(latest.revision.definition, source, dest));
    return out;
  }
  for (let n = 1; n <= latest.environment.latestRevision; n++) {
    const revision = await deps.store.environments.getRevision(source, n, { includeRetracted: true });
    out.set(n, await deps.crypto.reencryptDefinition(revision.definition, source, dest));
  }
  return out;
}
