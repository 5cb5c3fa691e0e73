package openesc_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The README shows Example's body: this keeps the two the same, so that the README's code is the
// code `go test` runs (and compiles).
func TestReadmeShowsTheExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```go\n(.*?)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README.md has no ```go block")
	}
	source, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile("(?s)func Example\\(\\) \\{\n(.*?)\t// Output:").FindSubmatch(source)
	if body == nil {
		t.Fatal("example_test.go has no Example")
	}
	want := strings.ReplaceAll(string(body[1]), "\n\t", "\n")
	want = strings.TrimPrefix(want, "\t")
	if !strings.Contains(string(block[1]), want) {
		t.Errorf("README.md's first go block must contain Example's body:\n%s", want)
	}
}
