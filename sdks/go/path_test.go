package openesc_test

import (
	"errors"
	"fmt"
	"testing"

	openesc "github.com/openesc/openesc/sdks/go"
)

func TestParsePath(t *testing.T) {
	for text, want := range map[string]string{
		"db.password":  "[db password]",
		"hosts[0]":     "[hosts 0]",
		`a["b.c"]`:     "[a b.c]",
		`["x"].y`:      "[x y]",
		`a["q\"uote"]`: `[a q"uote]`,
		"":             "[]",
	} {
		got, err := openesc.ParsePath(text)
		if err != nil || fmt.Sprint(got) != want {
			t.Errorf("ParsePath(%q) = %v, %v; want %s", text, got, err, want)
		}
	}
	for text, why := range map[string]string{
		".a":   "unexpected '.' at column 1",
		"a..b": "expected a property name at column 3",
		"a[x]": "expected an index or a quoted key at column 3",
		`a["b`: "unterminated string at column 5",
		"a[0":  "expected ']' at column 4",
	} {
		_, err := openesc.ParsePath(text)
		var e *openesc.Error
		if !errors.As(err, &e) || !errors.Is(err, openesc.ErrInvalid) || e.Message != fmt.Sprintf("invalid property path %q: %s", text, why) {
			t.Errorf("ParsePath(%q) error = %v", text, err)
		}
	}
}

func TestParseRef(t *testing.T) {
	for text, want := range map[string]openesc.Ref{
		"acme/app/prod":    {Org: "acme", Project: "app", Environment: "prod"},
		"acme/app/prod@12": {Org: "acme", Project: "app", Environment: "prod", Version: "12"},
	} {
		if got, err := openesc.ParseRef(text, ""); err != nil || got != want || got.String() != text {
			t.Errorf("ParseRef(%q) = %v, %v", text, got, err)
		}
	}
	if got, err := openesc.ParseRef("app/prod@stable", "acme"); err != nil || got.String() != "acme/app/prod@stable" {
		t.Errorf("two parts with a default org = %v, %v", got, err)
	}
	for _, text := range []string{"app/prod", "a/b/c/d", "a/b/c@", "a/b c/d"} {
		if _, err := openesc.ParseRef(text, ""); !errors.Is(err, openesc.ErrInvalid) {
			t.Errorf("ParseRef(%q) error = %v", text, err)
		}
	}
}

func TestValueAtKeepsSecrecy(t *testing.T) {
	env := &openesc.Environment{Value: map[string]any{"hosts": []any{"a", "b"}}}
	if v, err := env.Get("hosts[1]"); err != nil || v != "b" {
		t.Errorf("hosts[1] = %v, %v", v, err)
	}
	if _, err := env.Get("hosts[2]"); !errors.Is(err, openesc.ErrNotFound) {
		t.Errorf("hosts[2] error = %v", err)
	}
}
