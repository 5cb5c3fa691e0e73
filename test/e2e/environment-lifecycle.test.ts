import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiagnosticsSchema, FieldViolationSchema } from "../../src/gen/openesc/v1/diagnostic_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { RevisionService } from "../../src/gen/openesc/v1/revision_pb.js";
import { RevisionTagService } from "../../src/gen/openesc/v1/revision_tag_pb.js";
import { EnvironmentTagService } from "../../src/gen/openesc/v1/environment_tag_pb.js";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { clientFor, PROTOCOLS } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";

async function codeOf(p: Promise<unknown>): Promise<[Code, string]> {
  try {
    await p;
  } catch (e) {
    const ce = ConnectError.from(e);
    return [ce.code, ce.rawMessage];
  }
  throw new Error("expected the call to fail");
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe.each(PROTOCOLS)("environment lifecycle over %s", (protocol) => {
  const project = `p-${protocol}`;
  const env = () => clientFor(EnvironmentService, protocol, server.url, server.token);
  const revisions = () => clientFor(RevisionService, protocol, server.url, server.token);
  const revTags = () => clientFor(RevisionTagService, protocol, server.url, server.token);
  const envTags = () => clientFor(EnvironmentTagService, protocol, server.url, server.token);
  const ref = { org: "default", project, environment: "dev" };

  it("creates, reads, updates with history, tags, rolls back and deletes", async () => {
    const created = await env().createEnvironment({ ...ref, definition: "values:\n  db:\n    host: localhost # the db\n" });
    expect(created.environment?.name).toBe("dev");
    expect(created.environment?.revision).toBe(1n);
    expect(created.revision?.author).toBe("admin");

    const got = await env().getEnvironment(ref);
    expect(got.revision?.definition).toBe("values:\n  db:\n    host: localhost # the db\n");
    expect(got.environment?.etag).toBe(`"default/${project}/dev@1"`);

    const updated = await env().updateEnvironment({ ...ref, definition: "values:\n  db:\n    host: db.internal\n", baseRevision: 1n });
    expect(updated.revision?.number).toBe(2n);
    expect(await codeOf(env().updateEnvironment({ ...ref, definition: "values: {}\n", baseRevision: 1n }))).toEqual([
      Code.Aborted,
      "base revision 1 is stale: latest is 2",
    ]);

    const history = await revisions().listRevisions(ref);
    expect(history.revisions.map((r) => [r.number, r.tags])).toEqual([
      [2n, ["latest"]],
      [1n, []],
    ]);

    await revTags().createRevisionTag({ ...ref, tag: "stable", revision: 1n });
    const atStable = await env().getEnvironment({ ...ref, version: "stable" });
    expect(atStable.revision?.number).toBe(1n);
    expect(await codeOf(revTags().deleteRevisionTag({ ...ref, tag: "latest" }))).toEqual([Code.FailedPrecondition, expect.stringContaining("latest")]);

    const rolled = await revisions().rollbackEnvironment({ ...ref, version: "stable" });
    expect(rolled.revision?.number).toBe(3n);
    expect(rolled.revision?.definition).toBe("values:\n  db:\n    host: localhost # the db\n");

    await envTags().setEnvironmentTag({ ...ref, name: "team", value: "payments" });
    const listed = await env().listEnvironments({ org: "default", project, tagFilter: { team: "payments" } });
    expect(listed.environments.map((e) => e.name)).toEqual(["dev"]);

    await env().updateEnvironmentSettings({ ...ref, deletionProtected: true });
    expect(await codeOf(env().deleteEnvironment(ref))).toEqual([Code.FailedPrecondition, expect.stringContaining("deletion")]);
    await env().updateEnvironmentSettings({ ...ref, deletionProtected: false });
    await env().deleteEnvironment(ref);
    expect((await codeOf(env().getEnvironment(ref)))[0]).toBe(Code.NotFound);
  });

  it("refuses bad names and bad YAML with InvalidArgument naming the field and the position", async () => {
    try {
      await env().createEnvironment({ org: "default", project, environment: "bad/name" });
      expect.unreachable();
    } catch (e) {
      const ce = ConnectError.from(e);
      expect(ce.code).toBe(Code.InvalidArgument);
      expect(ce.rawMessage).toBe("environment: must be 1–100 letters, digits, '-', '_' or '.'");
      expect(ce.findDetails(FieldViolationSchema).map((d) => d.field)).toEqual(["environment"]);
    }
    try {
      await env().createEnvironment({ ...ref, environment: "yaml", definition: "values:\n  a: &x 1\n  b: *x\n" });
      expect.unreachable();
    } catch (e) {
      const ce = ConnectError.from(e);
      expect(ce.code).toBe(Code.InvalidArgument);
      expect(ce.rawMessage).toBe("definition: 3:6: alias nodes are not supported");
      const diags = ce.findDetails(DiagnosticsSchema)[0]?.diagnostics ?? [];
      expect(diags.map((d) => [d.summary, d.range?.begin?.line, d.range?.begin?.column])).toEqual([["alias nodes are not supported", 3, 6]]);
    }
    expect(await codeOf(env().createEnvironment({ ...ref, environment: "list", definition: "- a\n- b\n" }))).toEqual([
      Code.InvalidArgument,
      "definition: 1:3: environment must be an object",
    ]);
    expect((await codeOf(env().getEnvironment({ ...ref, environment: "yaml" })))[0]).toBe(Code.NotFound);
  });

  it("checks definitions: diagnostics with ranges, the check-mode value with secrets redacted, nothing stored", async () => {
    await env().createEnvironment({ ...ref, environment: "base", definition: "values:\n  region: eu-west-1\n  password:\n    fn::secret: hunter2\n" });
    const checked = await env().checkEnvironment({
      ...ref,
      environment: "draft",
      definition: "imports: [" + project + "/base]\nvalues:\n  url: https://${region}.example\n  nope: ${missing}\n",
    });
    expect(checked.diagnostics.map((d) => [d.summary, d.range?.environment, d.range?.begin?.line, d.range?.begin?.column])).toEqual([
      ['unknown property "missing"', `${project}/draft`, 4, 11],
    ]);
    expect(JSON.parse(checked.valueJson)).toEqual({ region: "eu-west-1", password: "[secret]", url: "https://eu-west-1.example", nope: "[unknown]" });
    expect(checked.valueJson).not.toContain("hunter2");
    const fields = checked.value?.kind.case === "objectValue" ? checked.value.kind.value.fields : {};
    expect([fields.password?.secret, fields.password?.kind.case]).toEqual([true, undefined]);
    expect(fields.region?.kind).toEqual({ case: "stringValue", value: "eu-west-1" });
    expect((await codeOf(env().getEnvironment({ ...ref, environment: "draft" })))[0]).toBe(Code.NotFound);

    const stored = await env().checkEnvironment({ ...ref, environment: "base" });
    expect(stored.diagnostics).toEqual([]);
    expect(JSON.parse(stored.valueJson)).toEqual({ region: "eu-west-1", password: "[secret]" });

    const refused = await codeOf(env().createEnvironment({ ...ref, environment: "broken", definition: "values:\n  a: ${b}\n" }));
    expect(refused).toEqual([Code.InvalidArgument, 'definition: 2:8: unknown property "b"']);
    expect((await codeOf(env().getEnvironment({ ...ref, environment: "broken" })))[0]).toBe(Code.NotFound);
  });

  it("refuses calls without a valid token", async () => {
    const anonymous = clientFor(IdentityService, protocol, server.url);
    expect(await codeOf(anonymous.whoAmI({}))).toEqual([Code.Unauthenticated, "missing authorization header: send `authorization: Bearer <token>`"]);
    const forged = clientFor(IdentityService, protocol, server.url, `oesc_0123456789abcdef_${"A".repeat(43)}`);
    expect(await codeOf(forged.whoAmI({}))).toEqual([Code.Unauthenticated, "invalid token"]);
    const me = await clientFor(IdentityService, protocol, server.url, server.token).whoAmI({});
    expect([me.login, me.org, me.role]).toEqual(["admin", "default", "admin"]);
  });
});
