// Package openesc is the Go SDK for OpenESC, a self-hosted service for environments, secrets and
// configuration that speaks the Pulumi ESC language over Connect, gRPC and gRPC-Web.
//
// The messages and service clients are generated from the Protobuf contract in proto/openesc/v1
// and live in the gen/openesc/v1 package (messages) and its openescv1connect subpackage (Connect
// clients and handlers). They are regenerated with `npm run generate` and never edited by hand.
//
//	import (
//		openescv1 "github.com/openesc/openesc/sdks/go/gen/openesc/v1"
//		"github.com/openesc/openesc/sdks/go/gen/openesc/v1/openescv1connect"
//	)
//
//	client := openescv1connect.NewEnvironmentServiceClient(http.DefaultClient, "http://127.0.0.1:8080")
//
// A hand-written client with authentication and references comes in a later release.
package openesc
