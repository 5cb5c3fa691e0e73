package openesc

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"

	"connectrpc.com/connect"

	"github.com/openesc/openesc/sdks/go/gen/openesc/v1/openescv1connect"
)

// Client talks to one OpenESC server with one token. It is safe for concurrent use.
type Client struct {
	url        string
	defaultOrg string
	httpClient connect.HTTPClient
	options    []connect.ClientOption
	open       openescv1connect.OpenServiceClient
}

// New returns a client of the server at url with token. TLS, time-out and retries come from opts.
func New(url, token string, opts ...Option) (*Client, error) {
	return build(append([]Option{func(c *config) { c.url = url }, WithToken(token)}, opts...))
}

// NewFromEnvironment returns a client of the server named by OPENESC_URL, else the current server
// of the CLI credentials file ($OPENESC_HOME/credentials.json, else ~/.openesc/credentials.json), with
// the token of OPENESC_TOKEN, else the one stored for that server by `openesc login`.
func NewFromEnvironment(opts ...Option) (*Client, error) {
	return build(opts)
}

func build(opts []Option) (*Client, error) {
	cfg := config{timeout: DefaultTimeout, getenv: os.Getenv}
	for _, o := range opts {
		o(&cfg)
	}
	rawURL := cfg.url
	if rawURL == "" {
		rawURL = cfg.getenv("OPENESC_URL")
	}
	token, tokenSet := cfg.token, cfg.tokenSet
	if !tokenSet && cfg.getenv("OPENESC_TOKEN") != "" {
		token, tokenSet = cfg.getenv("OPENESC_TOKEN"), true
	}
	var stored storedCredentials
	if rawURL == "" || !tokenSet {
		var err error
		if stored, err = readCredentials(cfg.getenv); err != nil {
			return nil, err
		}
	}
	if rawURL == "" {
		rawURL = stored.Current
	}
	if rawURL == "" {
		return nil, errors.New("openesc: no server: pass a URL, set OPENESC_URL, or log in with `openesc login URL`")
	}
	url, err := normalizeURL(rawURL)
	if err != nil {
		return nil, err
	}
	server := stored.Servers[url]
	if !tokenSet {
		token = server.Token
	}
	if cfg.defaultOrg == "" {
		cfg.defaultOrg = server.Org
	}
	if cfg.caFile == "" && cfg.caPEM == nil {
		cfg.caFile = server.CAFile
	}
	cfg.insecure = cfg.insecure || server.Insecure

	httpClient := cfg.httpClient
	if httpClient == nil {
		if httpClient, err = newHTTPClient(cfg); err != nil {
			return nil, err
		}
	}
	// The first interceptor is the outermost: errors see everything, the time-out covers retries.
	// Streams get no default time-out: an export may rightly run long; their context bounds them.
	interceptors := []connect.Interceptor{errorInterceptor{}, timeoutInterceptor(cfg.timeout), retryInterceptor(cfg.retry)}
	if token != "" {
		interceptors = append(interceptors, tokenInterceptor(token))
	}
	interceptors = append(interceptors, cfg.interceptors...)
	options := []connect.ClientOption{connect.WithInterceptors(interceptors...)}
	c := &Client{url: url, defaultOrg: cfg.defaultOrg, httpClient: httpClient, options: options}
	c.open = Service(c, openescv1connect.NewOpenServiceClient)
	return c, nil
}

// newHTTPClient speaks HTTP/1.1: the server answers the Connect protocol there (its HTTP/2 port
// path is native gRPC).
func newHTTPClient(cfg config) (*http.Client, error) {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.ForceAttemptHTTP2 = false
	transport.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}, InsecureSkipVerify: cfg.insecure} //nolint:gosec // opt-in
	pem := cfg.caPEM
	if pem == nil && cfg.caFile != "" {
		var err error
		if pem, err = os.ReadFile(cfg.caFile); err != nil {
			return nil, fmt.Errorf("openesc: cannot read the CA file: %w", err)
		}
	}
	if pem != nil {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("openesc: the CA holds no PEM certificate")
		}
		tlsConfig.RootCAs = pool
	}
	transport.TLSClientConfig = tlsConfig
	return &http.Client{Transport: transport}, nil
}

// URL is the server's base URL.
func (c *Client) URL() string { return c.url }

// HTTPClient and ClientOptions let generated clients share this client's transport, token,
// time-out, retries and typed errors; Service does that for you.
func (c *Client) HTTPClient() connect.HTTPClient { return c.httpClient }

// ClientOptions are the Connect options of this client (see HTTPClient).
func (c *Client) ClientOptions() []connect.ClientOption { return c.options }

// Service returns the generated client of any service of the contract, bound to c:
//
//	envs := openesc.Service(client, openescv1connect.NewEnvironmentServiceClient)
//	res, err := envs.ListEnvironments(ctx, connect.NewRequest(&openescv1.ListEnvironmentsRequest{Org: "acme"}))
func Service[T any](c *Client, newClient func(connect.HTTPClient, string, ...connect.ClientOption) T) T {
	return newClient(c.httpClient, c.url, c.options...)
}
