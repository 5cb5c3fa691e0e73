import { describe, expect, test } from "vitest";
import { environmentClaims, tokenTypeOf, type OidcSubjectFacts } from "./claims.js";

const facts: OidcSubjectFacts = { org: "acme", currentEnvironment: "pay/base", rootEnvironment: "pay/prod", userLogin: "ada", tokenType: "personal" };
const common = { current_env: "pay/base", root_env: "pay/prod", trigger_user: "ada" };

describe("environmentClaims()", () => {
  test.each([
    {
      name: "default subject and audience",
      options: { platform: "aws" },
      want: { aud: "aws:acme", sub: "pulumi:environments:org:acme:env:pay/base", org: "acme", env: "pay/base", ...common },
    },
    {
      name: "explicit audience",
      options: { platform: "vault", audience: "https://vault.example.com" },
      want: { aud: "https://vault.example.com", sub: "pulumi:environments:org:acme:env:pay/base", org: "acme", env: "pay/base", ...common },
    },
    {
      name: "subject attributes in the order given",
      options: { platform: "aws", subjectAttributes: ["pulumi.token.type", "rootEnvironment.name"] as const },
      want: {
        aud: "aws:acme",
        sub: "pulumi:environments:pulumi.organization.login:acme:pulumi.token.type:personal:rootEnvironment.name:pay/prod",
        "pulumi.organization.login": "acme",
        "pulumi.token.type": "personal",
        "rootEnvironment.name": "pay/prod",
        ...common,
      },
    },
    {
      name: "the organization is listed once even when named",
      options: { platform: "aws", subjectAttributes: ["pulumi.organization.login", "pulumi.user.login", "currentEnvironment.name"] as const },
      want: {
        aud: "aws:acme",
        sub: "pulumi:environments:pulumi.organization.login:acme:pulumi.user.login:ada:currentEnvironment.name:pay/base",
        "pulumi.organization.login": "acme",
        "pulumi.user.login": "ada",
        "currentEnvironment.name": "pay/base",
        ...common,
      },
    },
    {
      name: "an empty attribute list is the default subject",
      options: { platform: "aws", subjectAttributes: [] },
      want: { aud: "aws:acme", sub: "pulumi:environments:org:acme:env:pay/base", org: "acme", env: "pay/base", ...common },
    },
  ])("$name", ({ options, want }) => {
    expect(environmentClaims(facts, options)).toEqual(want);
  });

  test("token types of principal kinds", () => {
    expect([tokenTypeOf("user"), tokenTypeOf("service_account")]).toEqual(["personal", "organization"]);
  });
});
