/**
 * Grant subjects as the contract spells them — `user:LOGIN`, `service-account:NAME`, `team:NAME`,
 * `token:ID` — and as the store keeps them (kind + id).
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { createTeamRepository, type GrantSubjectKind, type IdentityRecord, type Store } from "../../store/index.js";
import { invalidField } from "../errors.js";
import { validateSegment } from "../validate.js";

export interface ResolvedSubject {
  readonly kind: GrantSubjectKind;
  readonly id: string;
  /** The subject as the contract spells it. */
  readonly display: string;
}

const identityPrefix = (identity: Pick<IdentityRecord, "kind">): string => (identity.kind === "user" ? "user" : "service-account");

/** `user:ana` / `service-account:ci` of an identity. */
export function identitySubject(identity: Pick<IdentityRecord, "kind" | "login">): string {
  return `${identityPrefix(identity)}:${identity.login}`;
}

/** Resolves a subject of `org`; InvalidArgument when malformed, NotFound when it does not exist. */
export async function resolveSubject(store: Store, org: string, subject: string, field = "subject"): Promise<ResolvedSubject> {
  const sep = subject.indexOf(":");
  const kind = sep < 0 ? "" : subject.slice(0, sep);
  const name = sep < 0 ? "" : subject.slice(sep + 1);
  const malformed = () => invalidField(field, "must be user:LOGIN, service-account:NAME, team:NAME or token:ID");
  switch (kind) {
    case "user":
    case "service-account": {
      validateSegment(field, name);
      const identity = await store.identities.findIdentity(org, name);
      if (identity === undefined || identityPrefix(identity) !== kind) throw new ConnectError(`${kind} "${name}" not found in organization "${org}"`, Code.NotFound);
      return { kind: "identity", id: identity.id, display: subject };
    }
    case "team": {
      validateSegment(field, name);
      const team = await createTeamRepository(store.db).get(org, name);
      return { kind: "team", id: team.id, display: subject };
    }
    case "token": {
      if (!/^[0-9a-f]{16}$/.test(name)) throw malformed();
      const found = await store.identities.findToken(name);
      if (found === undefined || found.identity.org !== org) throw new ConnectError(`token "${name}" not found in organization "${org}"`, Code.NotFound);
      return { kind: "token", id: name, display: subject };
    }
    default:
      throw malformed();
  }
}

/** Renders stored subjects for display, with one lookup per distinct id. */
export function createSubjectNames(store: Store, org: string): (kind: GrantSubjectKind, id: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  const teams = createTeamRepository(store.db);
  return (kind, id) => {
    const key = `${kind}:${id}`;
    let name = cache.get(key);
    if (name === undefined) {
      name = (async () => {
        if (kind === "token") return `token:${id}`;
        if (kind === "identity") return identitySubject(await store.identities.getIdentity(id));
        const page = await teams.list(org, { pageSize: 1000, pageToken: "" });
        return `team:${page.items.find((t) => t.id === id)?.name ?? id}`;
      })();
      cache.set(key, name);
    }
    return name;
  };
}
