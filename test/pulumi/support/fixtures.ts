import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { parse, stringify } from "yaml";
import { EnvironmentService } from "../../../src/gen/openesc/v1/environment_pb.js";
import { GrantService } from "../../../src/gen/openesc/v1/grant_pb.js";
import { TokenService } from "../../../src/gen/openesc/v1/token_pb.js";
import { OrganizationService } from "../../../src/gen/openesc/v1/organization_pb.js";
import { RevisionTagService } from "../../../src/gen/openesc/v1/revision_tag_pb.js";

/** The golden cases: one folder each under test/pulumi/fixtures. */
export const FIXTURES_DIR = join(import.meta.dirname, "..", "fixtures");

/** One folder: a Pulumi project, the environments to create first, and the hand-written expected result. */
export interface Fixture {
  readonly name: string;
  readonly dir: string;
  readonly stack: string;
  /** `case.yaml`: the passphrase of a passphrase stack. */
  readonly passphrase?: string;
  /** `case.yaml`: resolve as this user (a token of the fixture's org) with these grants, instead of the admin. */
  readonly user?: { readonly name: string; readonly grants: Readonly<Record<string, string>> };
  readonly environments: readonly EnvironmentStep[];
  readonly expected: unknown;
}

/** One entry of `environments.yaml`: create (or, when it exists, update) `project/env`, then maybe tag the revision. */
export interface EnvironmentStep {
  readonly name: string;
  readonly definition: unknown;
  readonly tag?: string;
}

export function listFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map(loadFixture);
}

export function loadFixture(name: string): Fixture {
  const dir = join(FIXTURES_DIR, name);
  const stackFiles = readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
  if (stackFiles.length !== 1) throw new Error(`${name}: expected exactly one Pulumi.<stack>.yaml, found ${stackFiles.length}`);
  const stack = (stackFiles[0] as string).slice("Pulumi.".length, -".yaml".length);
  const envFile = join(dir, "environments.yaml");
  const caseFile = join(dir, "case.yaml");
  const options = existsSync(caseFile) ? (parse(readFileSync(caseFile, "utf8")) as { passphrase?: string; user?: string; grants?: Record<string, string> }) : {};
  return {
    name,
    dir,
    stack,
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    ...(options.user !== undefined ? { user: { name: options.user, grants: options.grants ?? {} } } : {}),
    environments: existsSync(envFile) ? ((parse(readFileSync(envFile, "utf8")) as EnvironmentStep[] | null) ?? []) : [],
    expected: JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")),
  };
}

/** Admin clients of a test server. */
export interface SetupClients {
  readonly environments: Client<typeof EnvironmentService>;
  readonly organizations: Client<typeof OrganizationService>;
  readonly revisionTags: Client<typeof RevisionTagService>;
  readonly grants: Client<typeof GrantService>;
  readonly tokens: Client<typeof TokenService>;
}

export function setupClients(url: string, token: string): SetupClients {
  const transport = createConnectTransport({
    baseUrl: url,
    httpVersion: "1.1",
    interceptors: [
      (next) => (req) => {
        req.header.set("authorization", `Bearer ${token}`);
        return next(req);
      },
    ],
  });
  return {
    environments: createClient(EnvironmentService, transport),
    organizations: createClient(OrganizationService, transport),
    revisionTags: createClient(RevisionTagService, transport),
    grants: createClient(GrantService, transport),
    tokens: createClient(TokenService, transport),
  };
}

/**
 * Creates the fixture's org and its environments, in file order; for a fixture with a user, its grants
 * and a token, whose secret is returned (else undefined: the admin resolves).
 */
export async function seedFixture(clients: SetupClients, org: string, fixture: Fixture): Promise<string | undefined> {
  await clients.organizations.createOrganization({ name: org });
  const revisions = new Map<string, bigint>();
  for (const step of fixture.environments) {
    const [project, environment] = step.name.includes("/") ? (step.name.split("/") as [string, string]) : ["default", step.name];
    const definition = stringify(step.definition);
    const base = revisions.get(step.name);
    const res =
      base === undefined
        ? await clients.environments.createEnvironment({ org, project, environment, definition })
        : await clients.environments.updateEnvironment({ org, project, environment, definition, baseRevision: base });
    const revision = res.revision?.number ?? 0n;
    revisions.set(step.name, revision);
    if (step.tag !== undefined) await clients.revisionTags.createRevisionTag({ org, project, environment, tag: step.tag, revision });
  }
  if (fixture.user === undefined) return undefined;
  const token = await clients.tokens.createToken({ org, user: fixture.user.name });
  for (const [name, permission] of Object.entries(fixture.user.grants)) {
    const [project, environment] = name.split("/") as [string, string];
    await clients.grants.setGrant({ org, project, environment, subject: `user:${fixture.user.name}`, permission });
  }
  return token.secret;
}
