package openesc

import (
	"context"
	"errors"
	"io"

	"connectrpc.com/connect"

	openescv1 "github.com/openesc/openesc/sdks/go/gen/openesc/v1"
)

// Sentinels for errors.Is. Every error a call returns is an *Error (errors.As) that matches one of them.
var (
	// ErrNotFound: the environment, revision, tag, token or organization does not exist.
	ErrNotFound = errors.New("openesc: not found")
	// ErrPermissionDenied: the caller may not do this.
	ErrPermissionDenied = errors.New("openesc: permission denied")
	// ErrUnauthenticated: no token, or one that is unknown, expired or revoked.
	ErrUnauthenticated = errors.New("openesc: unauthenticated")
	// ErrConflict: it already exists, the base revision is stale, or the state forbids the request.
	ErrConflict = errors.New("openesc: conflict")
	// ErrInvalid: the input is invalid, or the environment does not evaluate (see Error.Diagnostics).
	ErrInvalid = errors.New("openesc: invalid")
	// ErrUnavailable: the server could not be reached or is overloaded.
	ErrUnavailable = errors.New("openesc: unavailable")
)

// Error is the failure of a call: the Connect error (Unwrap) with the details decoded. It also
// matches context.DeadlineExceeded and context.Canceled for time-outs and cancellations.
type Error struct {
	// Code is the Connect code.
	Code connect.Code
	// Message is the server's message, without the code.
	Message string
	// Diagnostics are the problems found in a definition (paths, never values).
	Diagnostics []*openescv1.Diagnostic
	// FieldViolations name the request fields that are wrong.
	FieldViolations []*openescv1.FieldViolation
	err             *connect.Error
}

func (e *Error) Error() string { return e.err.Error() }

// Unwrap returns the *connect.Error.
func (e *Error) Unwrap() error { return e.err }

// Is matches the sentinel of the error's kind.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Code == connect.CodeNotFound
	case ErrPermissionDenied:
		return e.Code == connect.CodePermissionDenied
	case ErrUnauthenticated:
		return e.Code == connect.CodeUnauthenticated
	case ErrConflict:
		return len(e.Diagnostics) == 0 && (e.Code == connect.CodeAlreadyExists || e.Code == connect.CodeAborted || e.Code == connect.CodeFailedPrecondition)
	case ErrInvalid:
		return len(e.Diagnostics) > 0 || e.Code == connect.CodeInvalidArgument || e.Code == connect.CodeOutOfRange
	case ErrUnavailable:
		return e.Code == connect.CodeUnavailable || e.Code == connect.CodeResourceExhausted
	case context.DeadlineExceeded:
		return e.Code == connect.CodeDeadlineExceeded
	case context.Canceled:
		return e.Code == connect.CodeCanceled
	}
	return false
}

// asError turns any failure into an *Error.
func asError(err error) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	var ce *connect.Error
	if !errors.As(err, &ce) {
		ce = connect.NewError(connect.CodeOf(err), err)
	}
	out := &Error{Code: ce.Code(), Message: ce.Message(), err: ce}
	for _, d := range ce.Details() {
		msg, derr := d.Value()
		if derr != nil {
			continue
		}
		switch m := msg.(type) {
		case *openescv1.Diagnostics:
			out.Diagnostics = append(out.Diagnostics, m.GetDiagnostics()...)
		case *openescv1.FieldViolation:
			out.FieldViolations = append(out.FieldViolations, m)
		}
	}
	return out
}

// invalid is a client-side ErrInvalid (a malformed reference or path), sent nowhere.
func invalid(message string) error {
	return asError(connect.NewError(connect.CodeInvalidArgument, errors.New(message)))
}

// errorInterceptor returns every failure as an *Error, for unary and streaming calls.
type errorInterceptor struct{}

func (errorInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		res, err := next(ctx, req)
		return res, asError(err)
	}
}

func (errorInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		return typedStream{next(ctx, spec)}
	}
}

func (errorInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// typedStream returns a stream's failures as *Error; io.EOF still ends it.
type typedStream struct{ connect.StreamingClientConn }

func (s typedStream) Send(msg any) error    { return streamError(s.StreamingClientConn.Send(msg)) }
func (s typedStream) Receive(msg any) error { return streamError(s.StreamingClientConn.Receive(msg)) }
func (s typedStream) CloseRequest() error   { return streamError(s.StreamingClientConn.CloseRequest()) }
func (s typedStream) CloseResponse() error  { return streamError(s.StreamingClientConn.CloseResponse()) }

func streamError(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	return asError(err)
}
