/**
 * The claims of a token about one environment being opened (issue 5): `sub` names the environment
 * (or, with `subjectAttributes`, the listed facts in order), custom claims repeat each subject
 * component and name the environments and the user. Built from the same execution context the
 * evaluator exposes as `${context.*}`, so what a policy matches is what an environment can read.
 */

/** The facts about an open, as `${context.*}` holds them. */
export interface OidcSubjectFacts {
  /** `pulumi.organization.login`. */
  readonly org: string;
  /** `currentEnvironment.name`: `PROJECT/ENV` of the environment containing the provider call. */
  readonly currentEnvironment: string;
  /** `rootEnvironment.name`: `PROJECT/ENV` of the environment being opened. */
  readonly rootEnvironment: string;
  /** `pulumi.user.login`: who opened it. */
  readonly userLogin: string;
  /** `pulumi.token.type`: `personal` (a user's token) or `organization` (a service account's). */
  readonly tokenType: string;
}

/** The attributes `subjectAttributes` may list, in the spelling of `${context.*}`. */
export const SUBJECT_ATTRIBUTES = [
  "rootEnvironment.name",
  "currentEnvironment.name",
  "pulumi.user.login",
  "pulumi.organization.login",
  "pulumi.token.type",
] as const;

export type SubjectAttribute = (typeof SUBJECT_ATTRIBUTES)[number];

/** What a provider asks for. */
export interface ClaimOptions {
  /** The relying platform (`aws`, `vault`, …): the default audience is `PLATFORM:ORG`. */
  readonly platform: string;
  /** An explicit audience from the provider's inputs. */
  readonly audience?: string;
  /** Subject attributes in order; omitted or empty: the default subject. */
  readonly subjectAttributes?: readonly SubjectAttribute[];
}

/** The claims a token carries besides `iss`, `iat`, `nbf`, `exp` and `jti`. */
export interface EnvironmentClaims {
  readonly aud: string;
  readonly sub: string;
  readonly [claim: string]: string;
}

function attributeValue(facts: OidcSubjectFacts, attribute: SubjectAttribute): string {
  switch (attribute) {
    case "rootEnvironment.name": return facts.rootEnvironment;
    case "currentEnvironment.name": return facts.currentEnvironment;
    case "pulumi.user.login": return facts.userLogin;
    case "pulumi.organization.login": return facts.org;
    case "pulumi.token.type": return facts.tokenType;
  }
}

/**
 * The subject and the claims. Default subject `pulumi:environments:org:ORG:env:PROJECT/ENV` (components
 * `org`, `env`); with attributes `pulumi:environments:pulumi.organization.login:ORG` then `:ATTR:VALUE`
 * per attribute (the organization is listed once even when named again).
 */
export function environmentClaims(facts: OidcSubjectFacts, options: ClaimOptions): EnvironmentClaims {
  const attributes = options.subjectAttributes ?? [];
  const components: [string, string][] =
    attributes.length === 0
      ? [["org", facts.org], ["env", facts.currentEnvironment]]
      : [["pulumi.organization.login", facts.org], ...attributes.filter((a) => a !== "pulumi.organization.login").map((a): [string, string] => [a, attributeValue(facts, a)])];
  const sub = ["pulumi:environments", ...components.map(([k, v]) => `${k}:${v}`)].join(":");
  return {
    ...Object.fromEntries(components),
    current_env: facts.currentEnvironment,
    root_env: facts.rootEnvironment,
    trigger_user: facts.userLogin,
    aud: options.audience ?? `${options.platform}:${facts.org}`,
    sub,
  };
}

/** `pulumi.token.type` of a principal kind. */
export function tokenTypeOf(kind: string): string {
  return kind === "user" ? "personal" : "organization";
}
