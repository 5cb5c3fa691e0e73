/**
 * aws-login (oidc, static) and aws-secrets through `openesc env open` (the real CLI binary) against
 * the real server and moto's STS and Secrets Manager. moto does not verify web identity tokens, so
 * the STS requests pass through a recording forwarder and each captured token is verified here with
 * jose against the server's JWKS, claim by claim.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Code, ConnectError } from "@connectrpc/connect";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DiagnosticsSchema } from "../../src/gen/openesc/v1/diagnostic_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import type { Value } from "../../src/gen/openesc/v1/value_pb.js";
import { clientFor } from "../support/clients.js";
import { requireVenvTool, startMoto, type Moto } from "../support/moto.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createEnvironment, runCli, startBlackhole, type Blackhole } from "./support.js";

const MOTO = requireVenvTool("moto_server");
const ROLE = "arn:aws:iam::123456789012:role/openesc-app";

/** Forwards every request to moto and keeps the form fields of STS calls. */
interface Recorder {
  readonly url: string;
  readonly stsCalls: URLSearchParams[];
  /** The Authorization header of each STS call ("" when unsigned). */
  readonly stsAuthorization: string[];
  close(): Promise<void>;
}

async function startRecorder(target: string): Promise<Recorder> {
  const stsCalls: URLSearchParams[] = [];
  const stsAuthorization: string[] = [];
  const body = (req: IncomingMessage) =>
    new Promise<Buffer>((r) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => r(Buffer.concat(chunks)));
    });
  const server: Server = createServer((req, res) => {
    void body(req).then(async (bytes) => {
      const form = new URLSearchParams(bytes.toString("utf8"));
      if (form.get("Action") === "AssumeRoleWithWebIdentity") {
        stsCalls.push(form);
        stsAuthorization.push(req.headers.authorization ?? "");
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "content-length", "connection"].includes(k))) as Record<string, string>;
      const answer = await fetch(`${target}${req.url ?? "/"}`, { method: req.method, headers, ...(bytes.length > 0 ? { body: bytes } : {}) });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/xml" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stsCalls,
    stsAuthorization,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.skipIf(MOTO === undefined)("aws-login + aws-secrets against moto", () => {
  let moto: Moto;
  let recorder: Recorder;
  let blackhole: Blackhole;
  let server: TestServer;

  beforeAll(async () => {
    moto = await startMoto(MOTO as string);
    recorder = await startRecorder(moto.url);
    blackhole = await startBlackhole();
    server = await startTestServer({ args: ["--aws-endpoint-url", recorder.url] });
    const sm = new SecretsManagerClient({ region: "us-east-1", endpoint: moto.url, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    await sm.send(new CreateSecretCommand({ Name: "app/db", SecretString: "db-password-1" }));
    await sm.send(new CreateSecretCommand({ Name: "app/api", SecretString: '{"key":"k-123"}' }));
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: "app/db", SecretString: "db-password-2" }));
    expect(v2.VersionId).toBeDefined();
    sm.destroy();
    const ssm = new SSMClient({ region: "us-east-1", endpoint: moto.url, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    await ssm.send(new PutParameterCommand({ Name: "/app/host", Value: "db.internal", Type: "String" }));
    await ssm.send(new PutParameterCommand({ Name: "/app/password", Value: "ssm-pw-1", Type: "SecureString" }));
    await ssm.send(new PutParameterCommand({ Name: "/app/password", Value: "ssm-pw-2", Type: "SecureString", Overwrite: true }));
    ssm.destroy();
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await blackhole?.close();
    await recorder?.close();
    await moto?.stop();
  });

  const LOGIN = `fn::open::aws-login:
        oidc:
          roleArn: ${ROLE}
          sessionName: openesc-test`;

  test("env open exchanges an OIDC token for credentials and reads Secrets Manager with them", async () => {
    await createEnvironment(
      server,
      "aws",
      "app",
      `values:
  aws:
    login:
      ${LOGIN}
    secrets:
      fn::open::aws-secrets:
        region: us-east-1
        login: \${aws.login}
        get:
          db: { secretId: app/db }
          previous: { secretId: app/db, versionStage: AWSPREVIOUS }
          api: { secretId: app/api }
  environmentVariables:
    AWS_ACCESS_KEY_ID: \${aws.login.accessKeyId}
    AWS_SECRET_ACCESS_KEY: \${aws.login.secretAccessKey}
    AWS_SESSION_TOKEN: \${aws.login.sessionToken}
`,
    );
    const before = recorder.stsCalls.length;
    const out = await runCli(server, ["env", "open", "default/aws/app"]);
    expect(out.stderr).toBe("");
    expect(out.exit).toBe(0);
    const value = JSON.parse(out.stdout) as { aws: { login: Record<string, string>; secrets: Record<string, string> }; environmentVariables: Record<string, string> };
    expect(value.aws.secrets).toEqual({ db: "db-password-2", previous: "db-password-1", api: '{"key":"k-123"}' });
    expect(value.aws.login.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(value.aws.login.secretAccessKey).toMatch(/^.{40}$/);
    expect(value.aws.login.sessionToken.length).toBeGreaterThan(100);
    expect(value.environmentVariables).toEqual({
      AWS_ACCESS_KEY_ID: value.aws.login.accessKeyId,
      AWS_SECRET_ACCESS_KEY: value.aws.login.secretAccessKey,
      AWS_SESSION_TOKEN: value.aws.login.sessionToken,
    });
    // One exchange, with the inputs' role, session name and the default 1 h.
    expect(recorder.stsCalls).toHaveLength(before + 1);
    const call = recorder.stsCalls[before] as URLSearchParams;
    expect([call.get("RoleArn"), call.get("RoleSessionName"), call.get("DurationSeconds")]).toEqual([ROLE, "openesc-test", "3600"]);
    // AssumeRoleWithWebIdentity is unsigned: the token is the only credential (no server credentials used).
    expect(recorder.stsAuthorization[before]).toBe("");

    // The token verifies against the served JWKS, and carries exactly the documented claims.
    const token = call.get("WebIdentityToken") as string;
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: server.url, audience: "aws:default", algorithms: ["RS256"] });
    expect(protectedHeader).toEqual({ alg: "RS256", typ: "JWT", kid: decodeProtectedHeader(token).kid });
    const served = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(served.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    const { iat, nbf, exp, jti, ...claims } = payload;
    expect(claims).toEqual({
      iss: server.url,
      aud: "aws:default",
      sub: "pulumi:environments:org:default:env:aws/app",
      org: "default",
      env: "aws/app",
      current_env: "aws/app",
      root_env: "aws/app",
      trigger_user: "admin",
    });
    expect(typeof iat).toBe("number");
    expect(nbf).toBe(iat);
    expect(exp).toBe((iat as number) + 300);
    expect(jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Math.abs((iat as number) - Date.now() / 1000)).toBeLessThan(600);

    // Credentials and secret values are marked secret; the key id is not.
    const resolved = await clientFor(OpenService, "connect", server.url, server.token).resolveEnvironment({ org: "default", project: "aws", environment: "app" });
    const secretFlags = (v: Value | undefined): Record<string, boolean> =>
      Object.fromEntries(Object.entries(v?.kind.case === "objectValue" ? v.kind.value.fields : {}).map(([k, x]) => [k, x.secret]));
    const aws = resolved.value?.kind.case === "objectValue" ? resolved.value.kind.value.fields["aws"] : undefined;
    const fields = aws?.kind.case === "objectValue" ? aws.kind.value.fields : {};
    expect(secretFlags(fields["login"])).toEqual({ accessKeyId: false, secretAccessKey: true, sessionToken: true });
    expect(secretFlags(fields["secrets"])).toEqual({ db: true, previous: true, api: true });
  });

  test("subjectAttributes and an explicit audience shape the token; an imported login names both environments", async () => {
    await createEnvironment(
      server,
      "aws",
      "attrs",
      `values:
  login:
    fn::open::aws-login:
      oidc:
        roleArn: ${ROLE}
        sessionName: attrs
        duration: 1h30m
        audience: sts.amazonaws.com
        subjectAttributes: [currentEnvironment.name, rootEnvironment.name, pulumi.user.login, pulumi.token.type]
`,
    );
    await createEnvironment(server, "aws", "root", "imports:\n  - aws/attrs\nvalues:\n  here: ${context.currentEnvironment.name}\n");
    const before = recorder.stsCalls.length;
    const out = await runCli(server, ["env", "open", "default/aws/root"]);
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toMatchObject({ here: "aws/root" });
    const call = recorder.stsCalls[before] as URLSearchParams;
    expect(call.get("DurationSeconds")).toBe("5400");
    const { payload } = await jwtVerify(call.get("WebIdentityToken") as string, createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)), {
      issuer: server.url,
      audience: "sts.amazonaws.com",
    });
    const { iat: _i, nbf: _n, exp: _e, jti: _j, ...claims } = payload;
    expect(claims).toEqual({
      iss: server.url,
      aud: "sts.amazonaws.com",
      sub: "pulumi:environments:pulumi.organization.login:default:currentEnvironment.name:aws/attrs:rootEnvironment.name:aws/root:pulumi.user.login:admin:pulumi.token.type:personal",
      "pulumi.organization.login": "default",
      "currentEnvironment.name": "aws/attrs",
      "rootEnvironment.name": "aws/root",
      "pulumi.user.login": "admin",
      "pulumi.token.type": "personal",
      current_env: "aws/attrs",
      root_env: "aws/root",
      trigger_user: "admin",
    });
  });

  test("the execution context carries pulumi.token.type, as the tokens do, in check and open", async () => {
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const res = await open.resolveAnonymousEnvironment({ org: "default", definition: "values:\n  t: ${context.pulumi.token.type}\n  u: ${context.pulumi.user.login}\n" });
    expect(JSON.parse(res.valueJson)).toEqual({ t: "personal", u: "admin" });
    // A stored environment may use them too: the definition check sees the writer's context.
    await createEnvironment(server, "aws", "ctx", "values:\n  t: ${context.pulumi.token.type}\n  u: ${context.pulumi.user.login}\n  o: ${context.pulumi.organization.login}\n");
    const out = await runCli(server, ["env", "open", "default/aws/ctx"]);
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({ t: "personal", u: "admin", o: "default" });
  });

  test("aws-parameter-store reads parameters; SecureString values are decrypted and secret", async () => {
    await createEnvironment(
      server,
      "aws",
      "params",
      `values:
  login:
    ${LOGIN.replaceAll("\n      ", "\n    ")}
  params:
    fn::open::aws-parameter-store:
      login: \${login}
      get:
        host: { name: /app/host }
        password: { name: /app/password }
        first: { name: /app/password, version: 1 }
`,
    );
    const out = await runCli(server, ["env", "open", "default/aws/params", "params"]);
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({ host: "db.internal", password: "ssm-pw-2", first: "ssm-pw-1" });
    const resolved = await clientFor(OpenService, "connect", server.url, server.token).resolveEnvironment({ org: "default", project: "aws", environment: "params" });
    const root = resolved.value?.kind.case === "objectValue" ? resolved.value.kind.value.fields : {};
    const params = root["params"]?.kind.case === "objectValue" ? root["params"].kind.value.fields : {};
    expect(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.secret]))).toEqual({ host: false, password: true, first: true });
  });

  test("static credentials pass through; an input endpoint overrides the server's", async () => {
    await createEnvironment(
      server,
      "aws",
      "static",
      `values:
  login:
    fn::open::aws-login:
      static: { accessKeyId: AKIASTATIC, secretAccessKey: { fn::secret: s3cret } }
  secrets:
    fn::open::aws-secrets:
      endpoint: ${moto.url}
      login: \${login}
      get: { db: { secretId: app/db } }
`,
    );
    const before = recorder.stsCalls.length;
    const out = await runCli(server, ["env", "open", "default/aws/static"]);
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({ login: { accessKeyId: "AKIASTATIC", secretAccessKey: "s3cret", sessionToken: "" }, secrets: { db: "db-password-2" } });
    expect(recorder.stsCalls).toHaveLength(before);
  });

  test("an upstream error is a diagnostic with AWS's code and message", async () => {
    await createEnvironment(
      server,
      "aws",
      "missing",
      `values:
  secrets:
    fn::open::aws-secrets:
      login: { accessKeyId: AKIATEST, secretAccessKey: test }
      get: { gone: { secretId: app/missing } }
`,
    );
    const out = await runCli(server, ["env", "open", "default/aws/missing"]);
    expect(out.exit).toBe(1);
    expect(out.stderr).toBe(
      `default/aws/missing:3:5: error: aws-secrets: GetSecretValue of "app/missing" (gone): ResourceNotFoundException: Secrets Manager can't find the specified secret. (HTTP 404) (values.secrets)\n` +
        "error: cannot open default/aws/missing: 1 error\n",
    );
  });

  test("inputs are checked: schema mistakes refuse the definition, out-of-range durations fail the open", async () => {
    const refused = await createEnvironment(
      server,
      "aws",
      "bad",
      `values:
  a:
    fn::open::aws-login:
      oidc: { roleArn: "arn:aws:iam::123:role/x", sessionName: x }
  b:
    fn::open::aws-secrets:
      login: { accessKeyId: AKIATEST }
      get: { x: { secretid: typo } }
`,
    ).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(refused?.code).toBe(Code.InvalidArgument);
    expect(refused?.rawMessage).toBe('definition: 4:24: string must match the pattern "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\\\w+=,.@/-]+$" (and 3 more)');
    const [details] = refused?.findDetails(DiagnosticsSchema) ?? [];
    expect(details?.diagnostics.map((d) => `${d.range?.begin?.line}:${d.range?.begin?.column}: ${d.summary}`)).toEqual([
      '4:24: string must match the pattern "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\\\w+=,.@/-]+$"',
      "4:64: expected a string of at least length 2",
      "8:19: missing required properties: secretId",
      "7:16: missing required properties: secretAccessKey",
    ]);

    await createEnvironment(server, "aws", "short", `values:\n  a:\n    fn::open::aws-login:\n      oidc: { roleArn: "${ROLE}", sessionName: ok, duration: 5m }\n`);
    const out = await runCli(server, ["env", "open", "default/aws/short"]);
    expect(out.stderr).toBe('default/aws/short:3:5: error: aws-login: duration must be between 15m and 12h, got "5m" (values.a)\nerror: cannot open default/aws/short: 1 error\n');
    await createEnvironment(server, "aws", "both", `values:\n  a:\n    fn::open::aws-login:\n      region: us-east-1\n`);
    const none = await runCli(server, ["env", "open", "default/aws/both"]);
    expect(none.stderr).toBe("default/aws/both:3:5: error: aws-login: exactly one of 'oidc' or 'static' is required (values.a)\nerror: cannot open default/aws/both: 1 error\n");
  });

  test("an AWS endpoint that never answers fails at the provider time-out", async () => {
    // A second server with a 2 s provider time-out (the first keeps the default 30 s for real calls).
    const quick = await startTestServer({ args: ["--provider-timeout-ms", "2000"] });
    try {
      await createEnvironment(quick, "aws", "hangs", `values:\n  a:\n    ${LOGIN.replaceAll("\n      ", "\n    ")}\n      endpoint: ${blackhole.url}\n`);
      const out = await runCli(quick, ["env", "open", "default/aws/hangs"]);
      expect(out.stderr).toBe("default/aws/hangs:3:5: error: aws-login: no answer within 2s (the provider time-out) (values.a)\nerror: cannot open default/aws/hangs: 1 error\n");
    } finally {
      await quick.stop();
    }
  });
});
