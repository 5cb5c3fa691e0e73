import { Command } from "commander";
import type { CliContext } from "../context.js";
import { withExamples } from "../command-options.js";
import { adminKeysRotateCommand } from "./admin-keys-rotate.js";
import { adminOidcRotateKeyCommand } from "./admin-oidc-rotate-key.js";
import { adminMigrateCommand } from "./admin-migrate.js";
import { adminTokenCreateCommand } from "./admin-token-create.js";
import { adminTokenListCommand } from "./admin-token-list.js";
import { adminTokenRevokeCommand } from "./admin-token-revoke.js";
import { auditExportCommand } from "./audit-export.js";
import { auditLsCommand } from "./audit-ls.js";
import { auditVerifyCommand } from "./audit-verify.js";
import { completeRefsCommand } from "./complete-refs.js";
import { completionCommand } from "./completion.js";
import { doctorCommand } from "./doctor.js";
import { envCheckCommand } from "./env-check.js";
import { envCloneCommand } from "./env-clone.js";
import { envDiffCommand } from "./env-diff.js";
import { envEditCommand } from "./env-edit.js";
import { envEvalCommand } from "./env-eval.js";
import { envGetCommand } from "./env-get.js";
import { envInitCommand } from "./env-init.js";
import { envLsCommand } from "./env-ls.js";
import { envOpenCommand } from "./env-open.js";
import { envRmCommand } from "./env-rm.js";
import { envSetCommand } from "./env-set.js";
import { envSettingsGetCommand } from "./env-settings-get.js";
import { envSettingsSetCommand } from "./env-settings-set.js";
import { envTagCommand } from "./env-tag.js";
import { envTagGetCommand } from "./env-tag-get.js";
import { envTagLsCommand } from "./env-tag-ls.js";
import { envTagMvCommand } from "./env-tag-mv.js";
import { envTagRmCommand } from "./env-tag-rm.js";
import { envVersionCommand } from "./env-version.js";
import { envVersionHistoryCommand } from "./env-version-history.js";
import { envVersionRetractCommand } from "./env-version-retract.js";
import { envVersionRollbackCommand } from "./env-version-rollback.js";
import { envVersionTagCommand } from "./env-version-tag.js";
import { envVersionTagLsCommand } from "./env-version-tag-ls.js";
import { envVersionTagRmCommand } from "./env-version-tag-rm.js";
import { loginCommand } from "./login.js";
import { logoutCommand } from "./logout.js";
import { runCommand } from "./run.js";
import { stackConfigCommand } from "./stack-config.js";
import { stackEnvAddCommand } from "./stack-env-add.js";
import { stackEnvLsCommand } from "./stack-env-ls.js";
import { stackEnvRmCommand } from "./stack-env-rm.js";
import { stackRunCommand } from "./stack-run.js";
import { whoamiCommand } from "./whoami.js";
import { orgCreateCommand } from "./org-create.js";
import { orgLsCommand } from "./org-ls.js";
import { teamCreateCommand } from "./team-create.js";
import { teamLsCommand } from "./team-ls.js";
import { teamAddCommand } from "./team-add.js";
import { teamRmCommand } from "./team-rm.js";
import { tokenCreateCommand } from "./token-create.js";
import { tokenLsCommand } from "./token-ls.js";
import { tokenRevokeCommand } from "./token-revoke.js";
import { grantSetCommand } from "./grant-set.js";
import { grantRmCommand } from "./grant-rm.js";
import { grantLsCommand } from "./grant-ls.js";
import { serviceAccountCreateCommand } from "./service-account-create.js";
import { serviceAccountLsCommand } from "./service-account-ls.js";
import { serviceAccountRmCommand } from "./service-account-rm.js";
import { trustPolicyCreateCommand } from "./trust-policy-create.js";
import { trustPolicyLsCommand } from "./trust-policy-ls.js";
import { trustPolicyRmCommand } from "./trust-policy-rm.js";
import { tokenExchangeCommand } from "./token-exchange.js";
import { memberLsCommand } from "./member-ls.js";
import { memberSetRoleCommand } from "./member-set-role.js";
import { memberRmCommand } from "./member-rm.js";

/** The top-level client commands: running one of them does not load the server module. */
const CLIENT_COMMANDS: ReadonlySet<string> = new Set(["login", "logout", "whoami", "doctor", "__complete-refs", "env", "admin", "run", "stack", "audit", "org", "team", "token", "grant", "service-account", "trust-policy", "member"]);

/**
 * Registers every command; `done` receives the promise of a command's work (serve). `serve` (and
 * with it the server and its database drivers, most of the start-up time) is loaded only when
 * argv does not start with a client command.
 */
export async function registerCommands(
  program: Command,
  ctx: CliContext,
  done: (work: Promise<void>) => void,
  argv: readonly string[] = [],
): Promise<void> {
  if (!CLIENT_COMMANDS.has(argv[0] ?? "")) {
    const { registerServe } = await import("./serve.js");
    registerServe(program, ctx, done);
  }
  program.addCommand(loginCommand(ctx));
  program.addCommand(logoutCommand(ctx));
  program.addCommand(whoamiCommand(ctx));
  program.addCommand(doctorCommand(ctx));
  // `completion` is not a client command: serve is loaded, so that the script covers it too
  program.addCommand(completionCommand(ctx, program));
  program.addCommand(completeRefsCommand(ctx), { hidden: true });
  program.addCommand(envGroup(ctx));
  program.addCommand(runCommand(ctx));
  program.addCommand(adminGroup(ctx));
  program.addCommand(stackGroup(ctx));
  program.addCommand(auditGroup(ctx));
  for (const access of accessGroups(ctx)) program.addCommand(access);
  inheritSettings(program);
}

function envGroup(ctx: CliContext): Command {
  const versionTag = envVersionTagCommand(ctx).addCommand(envVersionTagLsCommand(ctx)).addCommand(envVersionTagRmCommand(ctx));
  const version = envVersionCommand(ctx)
    .addCommand(envVersionHistoryCommand(ctx))
    .addCommand(envVersionRetractCommand(ctx))
    .addCommand(envVersionRollbackCommand(ctx))
    .addCommand(versionTag);
  const tag = envTagCommand(ctx)
    .addCommand(envTagGetCommand(ctx))
    .addCommand(envTagLsCommand(ctx))
    .addCommand(envTagMvCommand(ctx))
    .addCommand(envTagRmCommand(ctx));
  const settings = group("settings", "show and change an environment's settings", [
    "openesc env settings get default/payments/prod",
    "openesc env settings set default/payments/prod deletion-protected true",
  ])
    .addCommand(envSettingsGetCommand(ctx))
    .addCommand(envSettingsSetCommand(ctx));
  return group("env", "manage environments: definitions, revisions, tags and settings", [
    "openesc env init default/payments/dev",
    "openesc env set default/payments/dev db.host db.internal",
    "openesc env version history default/payments/dev",
    "openesc env version tag default/payments/dev@stable @2",
  ])
    .addCommand(envLsCommand(ctx))
    .addCommand(envInitCommand(ctx))
    .addCommand(envGetCommand(ctx))
    .addCommand(envEditCommand(ctx))
    .addCommand(envSetCommand(ctx))
    .addCommand(envRmCommand(ctx))
    .addCommand(envCloneCommand(ctx))
    .addCommand(envDiffCommand(ctx))
    .addCommand(envCheckCommand(ctx))
    .addCommand(envEvalCommand(ctx))
    .addCommand(envOpenCommand(ctx))
    .addCommand(runCommand(ctx))
    .addCommand(version)
    .addCommand(tag)
    .addCommand(settings);
}

/** `org`, `team`, `token` and `grant`: identities and access control (issue 6). */
function accessGroups(ctx: CliContext): Command[] {
  return [
    group("org", "manage organizations", ["openesc org create acme", "openesc org ls"]).addCommand(orgCreateCommand(ctx)).addCommand(orgLsCommand(ctx)),
    group("team", "manage teams: grants to a team apply to its members", ["openesc team create payments", "openesc team add payments ana", "openesc team ls"])
      .addCommand(teamCreateCommand(ctx))
      .addCommand(teamLsCommand(ctx))
      .addCommand(teamAddCommand(ctx))
      .addCommand(teamRmCommand(ctx)),
    group("token", "manage API tokens (shown once, stored hashed)", ["openesc token create --org acme --user ana --expires 30d", "openesc token ls", "openesc token revoke ID"])
      .addCommand(tokenCreateCommand(ctx))
      .addCommand(tokenLsCommand(ctx))
      .addCommand(tokenRevokeCommand(ctx))
      .addCommand(tokenExchangeCommand(ctx)),
    group("grant", "give permissions (read < open < write < admin) on organizations, projects and environments", [
      "openesc grant set user:ana acme/payments/prod open",
      "openesc grant ls acme/payments/prod",
      "openesc grant rm user:ana acme/payments/prod",
    ])
      .addCommand(grantSetCommand(ctx))
      .addCommand(grantRmCommand(ctx))
      .addCommand(grantLsCommand(ctx)),
    group("member", "manage an organization's users and their roles (admin, member, auditor)", ["openesc member ls", "openesc member set-role ana auditor"])
      .addCommand(memberLsCommand(ctx))
      .addCommand(memberSetRoleCommand(ctx))
      .addCommand(memberRmCommand(ctx)),
    group("service-account", "manage service accounts: non-human identities for CI and deployments", ["openesc service-account create ci", "openesc service-account ls"])
      .addCommand(serviceAccountCreateCommand(ctx))
      .addCommand(serviceAccountLsCommand(ctx))
      .addCommand(serviceAccountRmCommand(ctx)),
    group("trust-policy", "let OIDC tokens (GitHub Actions, GitLab, Kubernetes) log in as an identity", [
      "openesc trust-policy create gha --issuer https://token.actions.githubusercontent.com --audience openesc --subject 'repo:acme/app:*' --identity service-account:ci",
      "openesc trust-policy ls",
    ])
      .addCommand(trustPolicyCreateCommand(ctx))
      .addCommand(trustPolicyLsCommand(ctx))
      .addCommand(trustPolicyRmCommand(ctx)),
  ];
}

function auditGroup(ctx: CliContext): Command {
  return group("audit", "read and verify the audit log (org role admin or auditor)", ["openesc audit ls --env payments/prod --since 24h", "openesc audit verify", "openesc audit export > audit.ndjson"])
    .addCommand(auditLsCommand(ctx))
    .addCommand(auditVerifyCommand(ctx))
    .addCommand(auditExportCommand(ctx));
}

function stackGroup(ctx: CliContext): Command {
  const env = group("env", "edit the environments a Pulumi stack file imports", ["openesc stack env ls --stack dev", "openesc stack env add --stack dev payments/dev"])
    .addCommand(stackEnvLsCommand(ctx))
    .addCommand(stackEnvAddCommand(ctx))
    .addCommand(stackEnvRmCommand(ctx));
  return group("stack", "Pulumi stacks whose environment: is resolved by OpenESC", [
    "openesc stack config --stack dev",
    "openesc stack run --stack dev -- pulumi up",
    "openesc stack env add --stack dev payments/dev",
  ])
    .addCommand(stackConfigCommand(ctx))
    .addCommand(stackRunCommand(ctx))
    .addCommand(env);
}

function adminGroup(ctx: CliContext): Command {
  const token = group("token", "manage API tokens", ["openesc admin token create --description ci --expires 30d", "openesc admin token list", "openesc admin token revoke ID"])
    .addCommand(adminTokenCreateCommand(ctx))
    .addCommand(adminTokenListCommand(ctx))
    .addCommand(adminTokenRevokeCommand(ctx));
  return group("admin", "server administration: API tokens, database migrations, encryption and signing keys", ["openesc admin token list", "openesc admin migrate --data-dir ./.openesc"])
    .addCommand(token)
    .addCommand(adminMigrateCommand(ctx))
    .addCommand(group("keys", "manage encryption keys", ["openesc admin keys rotate", "openesc admin keys rotate --reencrypt"]).addCommand(adminKeysRotateCommand(ctx)))
    .addCommand(group("oidc", "manage the OIDC issuer", ["openesc admin oidc rotate-key"]).addCommand(adminOidcRotateKeyCommand(ctx)));
}

function group(name: string, description: string, examples: readonly string[]): Command {
  return withExamples(new Command(name).description(description), examples);
}

/**
 * Commands built with `new Command` do not inherit the program's settings: copy them down so
 * every command throws instead of exiting, writes through the injected streams, and keeps the
 * options after a subcommand's name for that subcommand.
 */
function inheritSettings(parent: Command): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    if (child.commands.length > 0) {
      child.enablePositionalOptions();
      // `env tag --url X ls REF`: options given before a subcommand's name reach the subcommand
      child.hook("preSubcommand", (self, sub) => {
        for (const option of sub.options) {
          const key = option.attributeName();
          if (self.getOptionValueSource(key) === "cli") sub.setOptionValueWithSource(key, self.getOptionValue(key), "cli");
        }
      });
    }
    inheritSettings(child);
  }
}
