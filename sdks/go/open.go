package openesc

import (
	"context"
	"fmt"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/durationpb"

	openescv1 "github.com/openesc/openesc/sdks/go/gen/openesc/v1"
)

// Environment is an opened environment: its evaluated value and projections.
type Environment struct {
	// Revision is the revision that was opened.
	Revision int64
	// Value is the evaluated `values`, secrets as Secret.
	Value map[string]any
	// EnvironmentVariables is the `environmentVariables` projection.
	EnvironmentVariables map[string]Text
	// Files is the `files` projection: variable name → file content.
	Files map[string]Text
	// PulumiConfig is the `pulumiConfig` value, or nil.
	PulumiConfig any
	// Diagnostics are warnings from the evaluation.
	Diagnostics []*openescv1.Diagnostic
}

// Get returns the value at a property path (`db.password`, `hosts[0]`, `a["b.c"]`). A missing
// value is an ErrNotFound, a malformed path an ErrInvalid.
func (e *Environment) Get(path string) (any, error) {
	v, ok, err := ValueAt(e.Value, path)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, asError(connect.NewError(connect.CodeNotFound, fmt.Errorf("path %q not found in the environment", path)))
	}
	return v, nil
}

// Environ returns the environment variables as sorted "NAME=value" pairs, secrets revealed,
// ready for exec.Cmd.Env.
func (e *Environment) Environ() []string {
	out := make([]string, 0, len(e.EnvironmentVariables))
	for _, name := range sortedKeys(e.EnvironmentVariables) {
		out = append(out, name+"="+e.EnvironmentVariables[name].value)
	}
	return out
}

// Open opens an environment (`org/project/env[@version]`) and returns its value and projections, in one call.
func (c *Client) Open(ctx context.Context, ref string) (*Environment, error) {
	r, err := ParseRef(ref, c.defaultOrg)
	if err != nil {
		return nil, err
	}
	res, err := c.open.ResolveEnvironment(ctx, connect.NewRequest(&openescv1.ResolveEnvironmentRequest{
		Org: r.Org, Project: r.Project, Environment: r.Environment, Version: r.Version,
	}))
	if err != nil {
		return nil, err
	}
	m := res.Msg
	value, _ := FromValue(m.GetValue()).(map[string]any)
	if value == nil {
		value = map[string]any{}
	}
	env := &Environment{
		Revision:             m.GetRevision(),
		Value:                value,
		EnvironmentVariables: projected(m.GetEnvironmentVariables()),
		Files:                projected(m.GetFiles()),
		Diagnostics:          m.GetDiagnostics(),
	}
	if m.GetPulumiConfig() != nil {
		env.PulumiConfig = FromValue(m.GetPulumiConfig())
	}
	return env, nil
}

func projected(m map[string]*openescv1.ProjectedValue) map[string]Text {
	out := make(map[string]Text, len(m))
	for k, v := range m {
		out[k] = Text{value: v.GetValue(), secret: v.GetSecret()}
	}
	return out
}

// Read opens an environment and returns the value at one property path, such as `db.password`.
func (c *Client) Read(ctx context.Context, ref, path string) (any, error) {
	if _, err := ParsePath(path); err != nil {
		return nil, err
	}
	s, err := c.OpenSession(ctx, ref, time.Minute)
	if err != nil {
		return nil, err
	}
	return s.Read(ctx, path)
}

// Session is a server-side open session: read it whole or by path until it expires.
type Session struct {
	ID         string
	ExpireTime time.Time
	Revision   int64
	ref        Ref
	client     *Client
}

// OpenSession opens an environment as a session living for d (1 s to 24 h; 0 means the server's default, 1 h).
func (c *Client) OpenSession(ctx context.Context, ref string, d time.Duration) (*Session, error) {
	r, err := ParseRef(ref, c.defaultOrg)
	if err != nil {
		return nil, err
	}
	req := &openescv1.OpenEnvironmentRequest{Org: r.Org, Project: r.Project, Environment: r.Environment, Version: r.Version}
	if d > 0 {
		req.Duration = durationpb.New(d)
	}
	res, err := c.open.OpenEnvironment(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	return &Session{ID: res.Msg.GetSessionId(), ExpireTime: res.Msg.GetExpireTime().AsTime(), Revision: res.Msg.GetRevision(), ref: r, client: c}, nil
}

// Read returns the value at path ("" is the whole value). It is retried: reads have no side effects.
func (s *Session) Read(ctx context.Context, path string) (any, error) {
	if _, err := ParsePath(path); err != nil {
		return nil, err
	}
	res, err := s.client.open.ReadOpenEnvironment(ctx, connect.NewRequest(&openescv1.ReadOpenEnvironmentRequest{
		Org: s.ref.Org, Project: s.ref.Project, Environment: s.ref.Environment, SessionId: s.ID, Path: path,
	}))
	if err != nil {
		return nil, err
	}
	return FromValue(res.Msg.GetValue()), nil
}
