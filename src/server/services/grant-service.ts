import type { ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { parsePermission } from "../../auth/index.js";
import { GrantService } from "../../gen/openesc/v1/grant_pb.js";
import { createGrantRepository, createTeamRepository } from "../../store/index.js";
import { toGrant } from "../access/convert.js";
import { createSubjectNames, resolveSubject } from "../access/subjects.js";
import { invalidField } from "../errors.js";
import { grantResourceOf } from "../rpc/access-rules.js";
import { accessOf } from "../rpc/authorize.js";
import type { ServiceDeps } from "./deps.js";

/** openesc.v1.GrantService: who may do what on an organization, a project or an environment. */
export function createGrantService(deps: ServiceDeps): ServiceImpl<typeof GrantService> {
  const { store } = deps;
  const grants = createGrantRepository(store.db);
  const where = (req: { org: string; project: string; environment: string }, ctx: Parameters<typeof accessOf>[0]) => {
    const r = grantResourceOf(req, accessOf(ctx).principal);
    return { org: r.org, project: r.project ?? "", environment: r.environment ?? "" };
  };
  return {
    async setGrant(req, ctx) {
      const at = where(req, ctx);
      const permission = parsePermission(req.permission);
      if (permission === undefined) throw invalidField("permission", "must be read, open, write or admin");
      await store.organizations.get(at.org);
      const subject = await resolveSubject(store, at.org, req.subject);
      const grant = await grants.set({ ...at, subjectKind: subject.kind, subjectId: subject.id, permission, editor: accessOf(ctx).principal.login });
      deps.authorizer.invalidate();
      return { grant: toGrant(grant, subject.display) };
    },
    async removeGrant(req, ctx) {
      const at = where(req, ctx);
      const subject = await resolveSubject(store, at.org, req.subject);
      if (!(await grants.remove({ ...at, subjectKind: subject.kind, subjectId: subject.id }))) {
        throw new ConnectError(`no grant for ${subject.display} on "${[at.org, at.project, at.environment].filter((s) => s !== "").join("/")}"`, Code.NotFound);
      }
      deps.authorizer.invalidate();
      return {};
    },
    async listGrants(req, ctx) {
      const at = where(req, ctx);
      const subject = req.subject === "" ? undefined : await resolveSubject(store, at.org, req.subject);
      // "What can Y access": an identity's own grants and those of its teams.
      const subjectIds = subject === undefined ? undefined : subject.kind === "identity" ? [subject.id, ...(await createTeamRepository(store.db).teamIdsOf(subject.id))] : [subject.id];
      const rows = await grants.list({
        org: at.org,
        ...(subjectIds === undefined ? {} : { subjectIds }),
        ...(at.project === "" ? {} : { appliesTo: { project: at.project, ...(at.environment === "" ? {} : { environment: at.environment }) } }),
      });
      const nameOf = createSubjectNames(store, at.org);
      const out = await Promise.all(rows.map(async (g) => toGrant(g, await nameOf(g.subjectKind, g.subjectId))));
      const order = (g: (typeof out)[number]) => `${g.project}\u0000${g.environment}\u0000${g.subject}`;
      return { grants: out.sort((x, y) => (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0)) };
    },
  };
}
