package openesc_test

import (
	"context"
	"errors"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/emptypb"

	openesc "github.com/openesc/openesc/sdks/go"
	_ "github.com/openesc/openesc/sdks/go/gen/openesc/v1" // registers every file of the contract
)

// Every RPC of the contract goes out through the client's HTTP client and options (token, time-out,
// retries, typed errors): here each read-only method of every registered openesc.v1 service is
// called with an empty request. Services other issues are still adding may not be served yet
// (UNIMPLEMENTED); the established ones must answer.
func TestEveryServiceIsReachable(t *testing.T) {
	c := newClient(t)
	reached := map[string]bool{}
	protoregistry.GlobalFiles.RangeFilesByPackage("openesc.v1", func(f protoreflect.FileDescriptor) bool {
		for i := 0; i < f.Services().Len(); i++ {
			svc := f.Services().Get(i)
			for j := 0; j < svc.Methods().Len(); j++ {
				m := svc.Methods().Get(j)
				opts, _ := m.Options().(*descriptorpb.MethodOptions)
				if opts.GetIdempotencyLevel() != descriptorpb.MethodOptions_NO_SIDE_EFFECTS {
					continue
				}
				// An empty message encodes every request type's defaults; unknown response fields are kept.
				call := connect.NewClient[emptypb.Empty, emptypb.Empty](c.HTTPClient(), c.URL()+"/"+string(svc.FullName())+"/"+string(m.Name()), c.ClientOptions()...)
				err := callOnce(call, m.IsStreamingServer())
				if errors.Is(err, openesc.ErrUnauthenticated) {
					t.Errorf("%s/%s: the token was not sent: %v", svc.FullName(), m.Name(), err)
				}
				var e *openesc.Error
				if err != nil && !errors.As(err, &e) {
					t.Errorf("%s/%s: %v is not an *openesc.Error", svc.FullName(), m.Name(), err)
				}
				if connect.CodeOf(err) != connect.CodeUnimplemented {
					reached[string(m.Name())] = true
				}
			}
		}
		return true
	})
	for _, name := range []string{"WhoAmI", "GetEnvironment", "ListEnvironments", "CheckEnvironment", "ReadOpenEnvironment", "ListRevisions", "ListRevisionTags", "ListEnvironmentTags", "ListTokens", "ListOrganizations"} {
		if !reached[name] {
			t.Errorf("%s was not reached", name)
		}
	}
}

// callOnce calls a unary method, or reads the first message of a server stream.
func callOnce(call *connect.Client[emptypb.Empty, emptypb.Empty], serverStream bool) error {
	req := connect.NewRequest(&emptypb.Empty{})
	if !serverStream {
		_, err := call.CallUnary(context.Background(), req)
		return err
	}
	stream, err := call.CallServerStream(context.Background(), req)
	if err != nil {
		return err
	}
	defer stream.Close()
	stream.Receive()
	return stream.Err()
}
