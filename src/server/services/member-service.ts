import type { ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { MemberService } from "../../gen/openesc/v1/member_pb.js";
import { createGrantRepository, type Store } from "../../store/index.js";
import { toMember } from "../access/convert.js";
import { roleOf } from "../access/roles.js";
import { pageRequestOf, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

async function userOf(store: Store, org: string, login: string) {
  const identity = await store.identities.findIdentity(org, login);
  if (identity === undefined || identity.kind !== "user") throw new ConnectError(`user "${login}" not found in organization "${org}"`, Code.NotFound);
  return identity;
}

/** Refuses to leave an organization without an admin (nobody could manage it any more). */
async function keepAnAdmin(store: Store, org: string, user: { id: string; role: string }): Promise<void> {
  if (user.role !== "admin") return;
  const users = await store.identities.listIdentities({ org, kind: "user", pageSize: 1000, pageToken: "" });
  if (!users.items.some((u) => u.role === "admin" && u.id !== user.id)) {
    throw new ConnectError(`"${org}" would have no admin left: make another user admin first`, Code.FailedPrecondition);
  }
}

/** openesc.v1.MemberService: an organization's users and their roles. */
export function createMemberService(deps: ServiceDeps): ServiceImpl<typeof MemberService> {
  const { store } = deps;
  // Roles and removals take effect at once in this process (other replicas: within the cache lifetime).
  const changed = () => {
    deps.authenticator.forgetAll();
    deps.authorizer.invalidate();
  };
  return {
    async createMember(req) {
      const org = validateSegment("org", req.org);
      const login = validateSegment("login", req.login);
      const role = roleOf("role", req.role, "member");
      return { member: toMember(await store.identities.createIdentity({ org, login, kind: "user", role })) };
    },
    async listMembers(req) {
      const org = validateSegment("org", req.org);
      const page = await store.identities.listIdentities({ org, kind: "user", ...pageRequestOf(req) });
      return { members: page.items.map(toMember), nextPageToken: page.nextPageToken };
    },
    async updateMemberRole(req) {
      const org = validateSegment("org", req.org);
      const user = await userOf(store, org, validateSegment("login", req.login));
      const role = roleOf("role", req.role);
      if (role !== "admin") await keepAnAdmin(store, org, user);
      const updated = await store.identities.updateRole(user.id, role);
      changed();
      return { member: toMember(updated) };
    },
    async removeMember(req) {
      const org = validateSegment("org", req.org);
      const user = await userOf(store, org, validateSegment("login", req.login));
      await keepAnAdmin(store, org, user);
      await store.transaction(async (tx) => {
        await createGrantRepository(tx.db).removeSubject(user.id);
        await tx.identities.deleteIdentity(user.id);
      });
      changed();
      return {};
    },
  };
}
