package openesc

import (
	"net/http"
	"time"

	"connectrpc.com/connect"
)

// DefaultTimeout bounds each call whose context has no deadline, retries included.
const DefaultTimeout = 30 * time.Second

// Option configures a Client.
type Option func(*config)

type config struct {
	url          string
	token        string
	tokenSet     bool
	defaultOrg   string
	timeout      time.Duration
	retry        RetryPolicy
	caPEM        []byte
	caFile       string
	insecure     bool
	httpClient   connect.HTTPClient
	interceptors []connect.Interceptor
	getenv       func(string) string
}

// RetryPolicy says how calls without side effects (idempotency_level = NO_SIDE_EFFECTS in the
// contract) are retried on UNAVAILABLE and RESOURCE_EXHAUSTED. Other calls are never retried.
type RetryPolicy struct {
	// MaxAttempts counts the first attempt; 1 turns retries off (default 3).
	MaxAttempts int
	// InitialBackoff is the first wait, doubled after each attempt, with full jitter (default 100 ms).
	InitialBackoff time.Duration
	// MaxBackoff caps the wait (default 2 s).
	MaxBackoff time.Duration
}

// WithToken sets the API token (default: OPENESC_TOKEN, then the credentials file).
func WithToken(token string) Option { return func(c *config) { c.token, c.tokenSet = token, true } }

// WithDefaultOrg lets two-part references (`project/env`) name an environment of org.
func WithDefaultOrg(org string) Option { return func(c *config) { c.defaultOrg = org } }

// WithTimeout bounds each call whose context has no deadline (default 30 s; 0 means none).
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithRetry replaces the retry policy; WithRetry(RetryPolicy{MaxAttempts: 1}) turns retries off.
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.retry = p } }

// WithCA trusts these PEM certificates for https, besides the system's (a private CA).
func WithCA(pem []byte) Option { return func(c *config) { c.caPEM = pem } }

// WithCAFile trusts the PEM certificates in path (default: the CA file stored by `openesc login`).
func WithCAFile(path string) Option { return func(c *config) { c.caFile = path } }

// WithInsecureSkipVerify does not verify the server's certificate. For tests only.
func WithInsecureSkipVerify() Option { return func(c *config) { c.insecure = true } }

// WithHTTPClient sends requests through client instead of one the SDK builds (TLS options are then ignored).
func WithHTTPClient(client connect.HTTPClient) Option {
	return func(c *config) { c.httpClient = client }
}

// WithInterceptors adds Connect interceptors, run inside the SDK's own (time-out, retries, token).
func WithInterceptors(interceptors ...connect.Interceptor) Option {
	return func(c *config) { c.interceptors = append(c.interceptors, interceptors...) }
}

// WithGetenv reads OPENESC_* variables through getenv instead of os.Getenv (tests).
func WithGetenv(getenv func(string) string) Option { return func(c *config) { c.getenv = getenv } }

var _ connect.HTTPClient = (*http.Client)(nil)
