package openesc_test

import (
	"context"
	"fmt"
	"log"

	openesc "github.com/openesc/openesc/sdks/go"
)

// The README's example (readme_test.go keeps the two identical). TestMain points OPENESC_URL and
// OPENESC_TOKEN at the test server, where acme/payments/prod holds db.password = hunter2.
func Example() {
	client, err := openesc.NewFromEnvironment() // OPENESC_URL + OPENESC_TOKEN, or your `openesc login`
	if err != nil {
		log.Fatal(err)
	}
	env, err := client.Open(context.Background(), "acme/payments/prod")
	if err != nil {
		log.Fatal(err)
	}
	password, _ := env.Get("db.password")
	fmt.Println(password)                 // [secret]
	fmt.Println(openesc.Reveal(password)) // hunter2
	// Output:
	// [secret]
	// hunter2
}
