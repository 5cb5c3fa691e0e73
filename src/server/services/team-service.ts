import type { ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { TeamService } from "../../gen/openesc/v1/team_pb.js";
import { createGrantRepository, createTeamRepository, type Store } from "../../store/index.js";
import { toTeam } from "../access/convert.js";
import { invalidField } from "../errors.js";
import { pageRequestOf, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

async function identityOf(store: Store, org: string, login: string) {
  const identity = await store.identities.findIdentity(org, login);
  if (identity === undefined) throw new ConnectError(`identity "${login}" not found in organization "${org}"`, Code.NotFound);
  return identity;
}

/** openesc.v1.TeamService: teams and their members; a team's grants apply to each member. */
export function createTeamService(deps: ServiceDeps): ServiceImpl<typeof TeamService> {
  const { store } = deps;
  const teams = createTeamRepository(store.db);
  return {
    async createTeam(req) {
      const org = validateSegment("org", req.org);
      const name = validateSegment("name", req.name);
      if (req.description.length > 1000) throw invalidField("description", "must be at most 1000 characters");
      await store.organizations.get(org);
      return { team: toTeam(await teams.create({ org, name, description: req.description })) };
    },
    async listTeams(req) {
      const page = await teams.list(validateSegment("org", req.org), pageRequestOf(req));
      return { teams: page.items.map(toTeam), nextPageToken: page.nextPageToken };
    },
    async deleteTeam(req) {
      const org = validateSegment("org", req.org);
      const name = validateSegment("name", req.name);
      await store.transaction(async (tx) => {
        const id = await createTeamRepository(tx.db).delete(org, name);
        await createGrantRepository(tx.db).removeSubject(id);
      });
      deps.authorizer.invalidate();
      return {};
    },
    async addTeamMember(req) {
      const org = validateSegment("org", req.org);
      const team = await teams.get(org, validateSegment("team", req.team));
      const identity = await identityOf(store, org, validateSegment("login", req.login));
      await teams.addMember(team.id, identity.id);
      deps.authorizer.invalidate();
      return { team: toTeam(await teams.get(org, team.name)) };
    },
    async removeTeamMember(req) {
      const org = validateSegment("org", req.org);
      const team = await teams.get(org, validateSegment("team", req.team));
      const login = validateSegment("login", req.login);
      const identity = await identityOf(store, org, login);
      if (!(await teams.removeMember(team.id, identity.id))) throw new ConnectError(`"${login}" is not a member of team "${team.name}"`, Code.NotFound);
      deps.authorizer.invalidate();
      return { team: toTeam(await teams.get(org, team.name)) };
    },
    async listTeamMembers(req) {
      const team = await teams.get(validateSegment("org", req.org), validateSegment("team", req.team));
      return { logins: [...team.members] };
    },
  };
}
