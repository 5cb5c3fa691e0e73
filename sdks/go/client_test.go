package openesc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/emptypb"

	openesc "github.com/openesc/openesc/sdks/go"
	openescv1 "github.com/openesc/openesc/sdks/go/gen/openesc/v1"
	"github.com/openesc/openesc/sdks/go/gen/openesc/v1/openescv1connect"
)

const definition = `values:
  app:
    name: payments
    replicas: 3
    ratio: 0.5
    enabled: true
    hosts: [a.example.com, b.example.com]
    "dotted.key": dotted
  db:
    user: admin
    password:
      fn::secret: hunter2
  environmentVariables:
    DB_USER: ${db.user}
    DB_PASSWORD: ${db.password}
  files:
    CA_PEM: pem-text
`

var server *testServer

func TestMain(m *testing.M) {
	s, err := launchServer()
	if err != nil {
		log.Fatalf("openesc serve: %v", err)
	}
	server = s
	err = setup(s)
	code := 1
	if err != nil {
		log.Printf("setup: %v", err)
	} else {
		code = m.Run()
	}
	s.stop()
	os.Exit(code)
}

// setup creates the environments the tests read, and points OPENESC_URL/OPENESC_TOKEN at the
// server for Example.
func setup(s *testServer) error {
	ctx := context.Background()
	c, err := openesc.New(s.URL, s.Token)
	if err != nil {
		return err
	}
	envs := openesc.Service(c, openescv1connect.NewEnvironmentServiceClient)
	if _, err := envs.CreateEnvironment(ctx, connect.NewRequest(&openescv1.CreateEnvironmentRequest{Org: "default", Project: "sdk", Environment: "prod", Definition: definition})); err != nil {
		return err
	}
	if _, err := openesc.Service(c, openescv1connect.NewOrganizationServiceClient).CreateOrganization(ctx, connect.NewRequest(&openescv1.CreateOrganizationRequest{Name: "acme"})); err != nil {
		return err
	}
	if _, err := envs.CreateEnvironment(ctx, connect.NewRequest(&openescv1.CreateEnvironmentRequest{Org: "acme", Project: "payments", Environment: "prod", Definition: "values:\n  db:\n    password:\n      fn::secret: hunter2\n"})); err != nil {
		return err
	}
	_ = os.Setenv("OPENESC_URL", s.URL)
	_ = os.Setenv("OPENESC_TOKEN", s.Token)
	_ = os.Setenv("OPENESC_HOME", s.DataDir)
	return nil
}

func newClient(t *testing.T, opts ...openesc.Option) *openesc.Client {
	t.Helper()
	c, err := openesc.New(server.URL, server.Token, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOpen(t *testing.T) {
	env, err := newClient(t).Open(context.Background(), "default/sdk/prod")
	if err != nil {
		t.Fatal(err)
	}
	if env.Revision != 1 {
		t.Errorf("revision = %d", env.Revision)
	}
	app, _ := json.Marshal(env.Value["app"])
	if got := string(app); got != `{"dotted.key":"dotted","enabled":true,"hosts":["a.example.com","b.example.com"],"name":"payments","ratio":0.5,"replicas":3}` {
		t.Errorf("app = %s", got)
	}
	for path, want := range map[string]any{"app.hosts[1]": "b.example.com", `app["dotted.key"]`: "dotted", "app.replicas": json.Number("3")} {
		if got, err := env.Get(path); err != nil || got != want {
			t.Errorf("Get(%q) = %v, %v; want %v", path, got, err, want)
		}
	}
	password, err := env.Get("db.password")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := password.(openesc.Secret); !ok || openesc.Reveal(password) != "hunter2" {
		t.Errorf("db.password = %#v", password)
	}
	if _, err := env.Get("app.nope"); !errors.Is(err, openesc.ErrNotFound) {
		t.Errorf("Get(app.nope) error = %v", err)
	}
	if got := fmt.Sprint(env.EnvironmentVariables); got != "map[DB_PASSWORD:[secret] DB_USER:admin]" {
		t.Errorf("environment variables print as %s", got)
	}
	if got := strings.Join(env.Environ(), " "); got != "DB_PASSWORD=hunter2 DB_USER=admin" {
		t.Errorf("Environ() = %s", got)
	}
	if !env.EnvironmentVariables["DB_PASSWORD"].IsSecret() || env.Files["CA_PEM"].Reveal() != "pem-text" {
		t.Errorf("projections = %v %v", env.EnvironmentVariables, env.Files)
	}
	if env.PulumiConfig != nil {
		t.Errorf("pulumiConfig = %v", env.PulumiConfig)
	}
}

func TestSecretsPrintRedacted(t *testing.T) {
	env, err := newClient(t).Open(context.Background(), "default/sdk/prod")
	if err != nil {
		t.Fatal(err)
	}
	db := env.Value["db"]
	js, _ := json.Marshal(db)
	var logged strings.Builder
	slogger := newJSONLogger(&logged)
	slogger.Info("opened", "db", db, "password", env.EnvironmentVariables["DB_PASSWORD"])
	for name, text := range map[string]string{
		"%v": fmt.Sprintf("%v", db), "%+v": fmt.Sprintf("%+v", db), "%#v": fmt.Sprintf("%#v", db), "%s": fmt.Sprintf("%s", db),
		"json": string(js), "slog": logged.String(),
	} {
		if strings.Contains(text, "hunter2") || !strings.Contains(text, "[secret]") {
			t.Errorf("%s prints %s", name, text)
		}
	}
	if got := openesc.Reveal(db); fmt.Sprint(got) != "map[password:hunter2 user:admin]" {
		t.Errorf("Reveal(db) = %v", got)
	}
}

func TestRead(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	for path, want := range map[string]any{"db.password": "hunter2", "app.hosts[0]": "a.example.com", `app["dotted.key"]`: "dotted"} {
		got, err := c.Read(ctx, "default/sdk/prod", path)
		if err != nil || openesc.Reveal(got) != want {
			t.Errorf("Read(%q) = %v, %v", path, got, err)
		}
	}
	s, err := c.OpenSession(ctx, "default/sdk/prod@1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if s.Revision != 1 || !s.ExpireTime.After(time.Now()) {
		t.Errorf("session = %+v", s)
	}
	if got, err := s.Read(ctx, "app.replicas"); err != nil || got != json.Number("3") {
		t.Errorf("session.Read = %v, %v", got, err)
	}
	withOrg := newClient(t, openesc.WithDefaultOrg("default"))
	if got, err := withOrg.Read(ctx, "sdk/prod", "app.name"); err != nil || got != "payments" {
		t.Errorf("two-part read = %v, %v", got, err)
	}
}

func TestTypedErrors(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	envs := openesc.Service(c, openescv1connect.NewEnvironmentServiceClient)

	_, err := c.Open(ctx, "default/sdk/missing")
	expectError(t, err, openesc.ErrNotFound, connect.CodeNotFound, `environment "default/sdk/missing" not found`)
	_, err = c.Read(ctx, "default/sdk/prod", "app.nope")
	expectError(t, err, openesc.ErrNotFound, connect.CodeNotFound, `path "app.nope" not found in the environment`)

	_, err = envs.CreateEnvironment(ctx, connect.NewRequest(&openescv1.CreateEnvironmentRequest{Org: "default", Project: "sdk", Environment: "prod"}))
	expectError(t, err, openesc.ErrConflict, connect.CodeAlreadyExists, "")
	_, err = envs.CreateEnvironment(ctx, connect.NewRequest(&openescv1.CreateEnvironmentRequest{Org: "default", Project: "sdk", Environment: "stale", Definition: "values: {a: 1}"}))
	if err != nil {
		t.Fatal(err)
	}
	update := func() error {
		_, err := envs.UpdateEnvironment(ctx, connect.NewRequest(&openescv1.UpdateEnvironmentRequest{Org: "default", Project: "sdk", Environment: "stale", Definition: "values: {a: 2}", BaseRevision: 1}))
		return err
	}
	if err := update(); err != nil {
		t.Fatal(err)
	}
	expectError(t, update(), openesc.ErrConflict, connect.CodeAborted, "")

	_, err = envs.CreateEnvironment(ctx, connect.NewRequest(&openescv1.CreateEnvironmentRequest{Org: "default", Project: "sdk", Environment: "bad", Definition: "values:\n  a: ${nope}\n"}))
	e := expectError(t, err, openesc.ErrInvalid, connect.CodeInvalidArgument, "")
	if e != nil && (len(e.Diagnostics) != 1 || e.Diagnostics[0].GetSummary() != `unknown property "nope"` || e.Diagnostics[0].GetRange().GetBegin().GetLine() != 2) {
		t.Errorf("diagnostics = %v", e.Diagnostics)
	}

	// An environment that no longer evaluates refuses to open (FAILED_PRECONDITION) with its diagnostics.
	for _, req := range []*openescv1.CreateEnvironmentRequest{
		{Org: "default", Project: "sdk", Environment: "base", Definition: "values:\n  db:\n    host: h\n"},
		{Org: "default", Project: "sdk", Environment: "app", Definition: "imports:\n  - sdk/base\nvalues:\n  url: ${db.host}\n"},
	} {
		if _, err := envs.CreateEnvironment(ctx, connect.NewRequest(req)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := envs.UpdateEnvironment(ctx, connect.NewRequest(&openescv1.UpdateEnvironmentRequest{Org: "default", Project: "sdk", Environment: "base", Definition: "values:\n  other: 1\n", BaseRevision: 1})); err != nil {
		t.Fatal(err)
	}
	_, err = c.Open(ctx, "default/sdk/app")
	e = expectError(t, err, openesc.ErrInvalid, connect.CodeFailedPrecondition, `environment "default/sdk/app" has errors: 4:10: unknown property "db"`)
	if e != nil && (len(e.Diagnostics) != 1 || e.Diagnostics[0].GetPath() != "values.url" || errors.Is(err, openesc.ErrConflict)) {
		t.Errorf("diagnostics = %v", e.Diagnostics)
	}

	_, err = c.Read(ctx, "default/sdk/prod", "a..b")
	expectError(t, err, openesc.ErrInvalid, connect.CodeInvalidArgument, `invalid property path "a..b": expected a property name at column 3`)
	_, err = c.Open(ctx, "just-a-name")
	expectError(t, err, openesc.ErrInvalid, connect.CodeInvalidArgument, "")

	bad, _ := openesc.New(server.URL, "not-a-token")
	_, err = bad.Open(ctx, "default/sdk/prod")
	expectError(t, err, openesc.ErrUnauthenticated, connect.CodeUnauthenticated, "")
}

func TestPermissionDenied(t *testing.T) {
	ctx := context.Background()
	admin := newClient(t)
	tok, err := openesc.Service(admin, openescv1connect.NewTokenServiceClient).CreateToken(ctx, connect.NewRequest(&openescv1.CreateTokenRequest{User: "reader-go", Role: "member", Description: "sdk test"}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = openesc.Service(admin, openescv1connect.NewGrantServiceClient).SetGrant(ctx, connect.NewRequest(&openescv1.SetGrantRequest{Org: "default", Subject: "user:reader-go", Project: "sdk", Environment: "prod", Permission: "read"}))
	if err != nil {
		t.Fatal(err)
	}
	reader, _ := openesc.New(server.URL, tok.Msg.GetSecret())
	_, err = reader.Open(ctx, "default/sdk/prod")
	expectError(t, err, openesc.ErrPermissionDenied, connect.CodePermissionDenied, "")
}

// Every code's kind, against a stand-in that answers with that code.
func TestErrorKinds(t *testing.T) {
	cases := []struct {
		wire   string
		status int
		kind   error
		code   connect.Code
	}{
		{"not_found", 404, openesc.ErrNotFound, connect.CodeNotFound},
		{"permission_denied", 403, openesc.ErrPermissionDenied, connect.CodePermissionDenied},
		{"unauthenticated", 401, openesc.ErrUnauthenticated, connect.CodeUnauthenticated},
		{"already_exists", 409, openesc.ErrConflict, connect.CodeAlreadyExists},
		{"failed_precondition", 400, openesc.ErrConflict, connect.CodeFailedPrecondition},
		{"invalid_argument", 400, openesc.ErrInvalid, connect.CodeInvalidArgument},
		{"unavailable", 503, openesc.ErrUnavailable, connect.CodeUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.wire, func(t *testing.T) {
			fake := startFake(t, func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = fmt.Fprintf(w, `{"code":%q,"message":"refused: %s"}`, tc.wire, tc.wire)
			})
			c, _ := openesc.New(fake.url, "t", openesc.WithRetry(openesc.RetryPolicy{MaxAttempts: 1}))
			_, err := c.Open(context.Background(), "o/p/e")
			expectError(t, err, tc.kind, tc.code, "refused: "+tc.wire)
		})
	}
}

func TestCancellationTimeoutRetries(t *testing.T) {
	silent := startFake(t, nil)
	c, _ := openesc.New(silent.url, "t", openesc.WithTimeout(200*time.Millisecond))
	_, err := c.Open(context.Background(), "o/p/e")
	expectError(t, err, context.DeadlineExceeded, connect.CodeDeadlineExceeded, "")

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		silent.waitRequests(2)
		cancel()
	}()
	_, err = c.Open(ctx, "o/p/e")
	expectError(t, err, context.Canceled, connect.CodeCanceled, "")

	down := startFake(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(503)
		_, _ = w.Write([]byte(`{"code":"unavailable","message":"down for maintenance"}`))
	})
	retrying, _ := openesc.New(down.url, "t", openesc.WithRetry(openesc.RetryPolicy{MaxAttempts: 4, InitialBackoff: time.Millisecond}))
	envs := openesc.Service(retrying, openescv1connect.NewEnvironmentServiceClient)
	_, err = envs.GetEnvironment(context.Background(), connect.NewRequest(&openescv1.GetEnvironmentRequest{}))
	expectError(t, err, openesc.ErrUnavailable, connect.CodeUnavailable, "down for maintenance")
	if got := down.paths(); strings.Join(got, ",") != strings.Repeat("/openesc.v1.EnvironmentService/GetEnvironment,", 3)+"/openesc.v1.EnvironmentService/GetEnvironment" {
		t.Errorf("GetEnvironment attempts = %v", got)
	}
	down.reset()
	_, _ = envs.CreateEnvironment(context.Background(), connect.NewRequest(&openescv1.CreateEnvironmentRequest{}))
	if got := down.paths(); len(got) != 1 {
		t.Errorf("CreateEnvironment attempts = %v (calls with side effects are never retried)", got)
	}
}

func TestFromEnvironment(t *testing.T) {
	env := map[string]string{"OPENESC_URL": server.URL + "/", "OPENESC_TOKEN": server.Token, "OPENESC_HOME": t.TempDir()}
	c, err := openesc.NewFromEnvironment(openesc.WithGetenv(func(k string) string { return env[k] }))
	if err != nil {
		t.Fatal(err)
	}
	if c.URL() != server.URL {
		t.Errorf("URL = %s", c.URL())
	}
	if got, err := c.Read(context.Background(), "default/sdk/prod", "app.name"); err != nil || got != "payments" {
		t.Errorf("read = %v, %v", got, err)
	}

	home := t.TempDir()
	creds := fmt.Sprintf(`{"current":%q,"servers":{%q:{"token":%q,"org":"default"}}}`, server.URL, server.URL, server.Token)
	if err := os.WriteFile(filepath.Join(home, "credentials.json"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile, err := openesc.NewFromEnvironment(openesc.WithGetenv(func(k string) string { return map[string]string{"OPENESC_HOME": home}[k] }))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fromFile.Read(context.Background(), "sdk/prod", "app.name"); err != nil || got != "payments" {
		t.Errorf("read through the credentials file = %v, %v", got, err)
	}

	_, err = openesc.NewFromEnvironment(openesc.WithGetenv(func(k string) string { return map[string]string{"OPENESC_HOME": t.TempDir()}[k] }))
	if err == nil || err.Error() != "openesc: no server: pass a URL, set OPENESC_URL, or log in with `openesc login URL`" {
		t.Errorf("no server: %v", err)
	}
}

func TestTLSWithCustomCA(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	out, err := exec.Command("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
		"-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	tlsServer := startServer(t, "--tls-cert", cert, "--tls-key", key)
	if !strings.HasPrefix(tlsServer.URL, "https://") {
		t.Fatalf("url = %s", tlsServer.URL)
	}
	c, err := openesc.New(tlsServer.URL, tlsServer.Token, openesc.WithCAFile(cert))
	if err != nil {
		t.Fatal(err)
	}
	me, err := openesc.Service(c, openescv1connect.NewIdentityServiceClient).WhoAmI(context.Background(), connect.NewRequest(&openescv1.WhoAmIRequest{}))
	if err != nil || me.Msg.GetLogin() != "admin" {
		t.Fatalf("WhoAmI over TLS = %v, %v", me, err)
	}
	untrusting, _ := openesc.New(tlsServer.URL, tlsServer.Token, openesc.WithRetry(openesc.RetryPolicy{MaxAttempts: 1}))
	_, err = openesc.Service(untrusting, openescv1connect.NewIdentityServiceClient).WhoAmI(context.Background(), connect.NewRequest(&openescv1.WhoAmIRequest{}))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("an untrusted certificate: %v", err)
	}
}

func expectError(t *testing.T, err, kind error, code connect.Code, message string) *openesc.Error {
	t.Helper()
	var e *openesc.Error
	if !errors.As(err, &e) {
		t.Errorf("error %v (%T) is not an *openesc.Error", err, err)
		return nil
	}
	if !errors.Is(err, kind) || e.Code != code || connect.CodeOf(err) != code || (message != "" && e.Message != message) {
		t.Errorf("error = %v (code %v, message %q); want %v, %v, %q", err, e.Code, e.Message, kind, code, message)
	}
	return e
}

// fake is a local HTTP server standing in for a broken OpenESC; a nil answer never answers.
type fake struct {
	url      string
	mu       sync.Mutex
	received []string
	auth     []string
	arrived  chan struct{}
}

func startFake(t *testing.T, answer func(http.ResponseWriter)) *fake {
	f := &fake{arrived: make(chan struct{}, 100)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.received = append(f.received, r.URL.Path)
		f.auth = append(f.auth, r.Header.Get("Authorization"))
		f.mu.Unlock()
		f.arrived <- struct{}{}
		if answer == nil {
			select {
			case <-r.Context().Done():
			case <-done:
			}
			return
		}
		answer(w)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { close(done); _ = srv.Close() })
	f.url = "http://" + ln.Addr().String()
	return f
}

func (f *fake) paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.received...)
}

func (f *fake) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.received = nil
}

func (f *fake) waitRequests(n int) {
	for len(f.paths()) < n {
		<-f.arrived
	}
}

// Streaming calls carry the token too, and fail with an *Error.
func TestStreamsCarryTheTokenAndTypedErrors(t *testing.T) {
	down := startFake(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(503)
		_, _ = w.Write([]byte(`{"code":"unavailable","message":"down"}`))
	})
	c, _ := openesc.New(down.url, "s3cret-token")
	call := connect.NewClient[emptypb.Empty, emptypb.Empty](c.HTTPClient(), c.URL()+"/openesc.v1.AuditService/ExportAuditEvents", c.ClientOptions()...)
	stream, err := call.CallServerStream(context.Background(), connect.NewRequest(&emptypb.Empty{}))
	if err == nil {
		for stream.Receive() {
		}
		err = stream.Err()
		_ = stream.Close()
	}
	expectError(t, err, openesc.ErrUnavailable, connect.CodeUnavailable, "")
	down.mu.Lock()
	defer down.mu.Unlock()
	if len(down.auth) != 1 || down.auth[0] != "Bearer s3cret-token" {
		t.Errorf("authorization headers = %q", down.auth)
	}
}
