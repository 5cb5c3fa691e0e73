import type { ServiceImpl } from "@connectrpc/connect";
import { EnvironmentService } from "../../gen/openesc/v1/environment_pb.js";
import { callDetailsOf, principalOf } from "../rpc/call-context.js";
import { toEnvironment, toRevision } from "../convert/records.js";
import { checkDefinition, renderJson } from "../../esc/index.js";
import { checkDefinitionForStore, environmentName, SERVER_LIMITS } from "../definition-check.js";
import { toDiagnostic } from "../convert/diagnostics.js";
import { toProtoValue } from "../convert/value.js";
import { createStoreLoader, parseImportName } from "../environment-loader.js";
import { environmentKeyOf, pageRequestOf, validateEnvironmentTag, validateRevision, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";
import type { EnvironmentKey } from "../../store/index.js";

/** openesc.v1.EnvironmentService: validate → (authorize) → store → convert. */
export function createEnvironmentService(deps: ServiceDeps): ServiceImpl<typeof EnvironmentService> {
  const { store } = deps;
  return {
    async createEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      const checked = await checkDefinitionForStore(store, key, req.definition);
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
      const checked = await checkDefinitionForStore(store, key, req.definition);
      const definition = await deps.crypto.encryptDefinition(checked.definition, key);
      const { environment, revision } = await store.environments.update({ key, definition, baseRevision, author: principalOf(ctx).login });
      return { environment: toEnvironment(environment), revision: toRevision(revision), diagnostics: checked.warnings.map(toDiagnostic) };
    },
    async deleteEnvironment(req) {
      await store.environments.delete(environmentKeyOf(req));
      return {};
    },
    async listEnvironments(req) {
      const org = req.org === "" ? undefined : validateSegment("org", req.org);
      if (req.project !== "" && org === undefined) validateSegment("org", req.org);
      const project = req.project === "" ? undefined : validateSegment("project", req.project);
      for (const [name, value] of Object.entries(req.tagFilter)) validateEnvironmentTag("tag_filter", name, value);
      const page = await store.environments.list({ org, project, tags: req.tagFilter, ...pageRequestOf(req) });
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
      return { environment: toEnvironment(environment) };
    },
    async getEnvironmentSettings(req) {
      const environment = await store.environments.get(environmentKeyOf(req));
      return { settings: { deletionProtected: environment.deletionProtected } };
    },
    async checkEnvironment(req) {
      const key = environmentKeyOf(req);
      let definition = req.definition;
      if (definition === "") {
        const number = await store.environments.resolveVersion(key, req.version);
        definition = (await store.environments.getRevision(key, number)).definition;
      }
      // With reveal, ciphertext of the environment and of each import decrypts with its own key (§14.2).
      const base = createStoreLoader(store, key.org);
      const loader = req.reveal
        ? {
            async load(name: string, version: string | undefined) {
              return { ...(await base.load(name, version)), decrypter: deps.crypto.decrypterFor(parseImportName(key.org, name)) };
            },
          }
        : base;
      const result = await checkDefinition(definition, environmentName(key), {
        loader,
        limits: SERVER_LIMITS,
        ...(req.reveal ? { showSecrets: true, decrypter: deps.crypto.decrypterFor(key) } : {}),
      });
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
