// Package openesc is the Go SDK for OpenESC, a self-hosted service for environments, secrets and
// configuration that speaks the Pulumi ESC language over Connect, gRPC and gRPC-Web.
//
// Build a Client with New (URL and token) or NewFromEnvironment (OPENESC_URL, OPENESC_TOKEN and
// the CLI credentials file), then open environments:
//
//	client, err := openesc.NewFromEnvironment()
//	env, err := client.Open(ctx, "acme/payments/prod")
//	password, err := env.Get("db.password") // an openesc.Secret: prints [secret]
//	fmt.Println(openesc.Reveal(password))   // the plaintext
//
// Every RPC of the contract is reachable through Service and the generated clients in
// gen/openesc/v1/openescv1connect (messages in gen/openesc/v1), which are regenerated with
// `npm run generate` and never edited by hand. Errors are *Error values that match ErrNotFound,
// ErrPermissionDenied, ErrUnauthenticated, ErrConflict, ErrInvalid and ErrUnavailable with errors.Is.
package openesc
