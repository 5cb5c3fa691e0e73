package openesc

import (
	"context"
	"math/rand/v2"
	"time"

	"connectrpc.com/connect"
)

// retryInterceptor retries unary calls to NO_SIDE_EFFECTS methods with exponential back-off and
// full jitter, within the call's context. Methods with side effects are never retried: a second
// CreateEnvironment could create twice.
func retryInterceptor(p RetryPolicy) connect.UnaryInterceptorFunc {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 3
	}
	if p.InitialBackoff <= 0 {
		p.InitialBackoff = 100 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 2 * time.Second
	}
	return func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			if req.Spec().IdempotencyLevel != connect.IdempotencyNoSideEffects {
				return next(ctx, req)
			}
			for attempt := 1; ; attempt++ {
				res, err := next(ctx, req)
				code := connect.CodeOf(err)
				if err == nil || attempt >= p.MaxAttempts || (code != connect.CodeUnavailable && code != connect.CodeResourceExhausted) {
					return res, err
				}
				wait := p.InitialBackoff << (attempt - 1)
				if wait > p.MaxBackoff || wait <= 0 {
					wait = p.MaxBackoff
				}
				timer := time.NewTimer(rand.N(wait) + 1)
				select {
				case <-ctx.Done():
					timer.Stop()
					return res, err
				case <-timer.C:
				}
			}
		}
	}
}

// timeoutInterceptor gives a call without a deadline the client's time-out.
func timeoutInterceptor(d time.Duration) connect.UnaryInterceptorFunc {
	return func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			if _, ok := ctx.Deadline(); ok || d <= 0 {
				return next(ctx, req)
			}
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return next(ctx, req)
		}
	}
}

// tokenInterceptor sends the bearer token on every kind of call.
type tokenInterceptor string

func (t tokenInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		req.Header().Set("Authorization", "Bearer "+string(t))
		return next(ctx, req)
	}
}

func (t tokenInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set("Authorization", "Bearer "+string(t))
		return conn
	}
}

func (t tokenInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}
