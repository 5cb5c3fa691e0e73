package openesc

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sort"

	openescv1 "github.com/openesc/openesc/sdks/go/gen/openesc/v1"
)

// Redacted is what a secret prints as, everywhere, until it is revealed.
const Redacted = "[secret]"

// Secret is a value the environment marks secret. It prints as "[secret]" through fmt (every verb),
// encoding/json and log/slog; Reveal returns the plaintext.
type Secret struct{ value any }

// Reveal returns the plaintext (nested secrets stay wrapped; use the package Reveal for all of them).
func (s Secret) Reveal() any { return s.value }

func (s Secret) String() string               { return Redacted }
func (s Secret) GoString() string             { return Redacted }
func (s Secret) Format(f fmt.State, _ rune)   { _, _ = io.WriteString(f, Redacted) }
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(Redacted) }
func (s Secret) LogValue() slog.Value         { return slog.StringValue(Redacted) }

// Text is a projected string (an environment variable or a file's content) that may be secret.
type Text struct {
	value  string
	secret bool
}

// Reveal returns the text.
func (t Text) Reveal() string { return t.value }

// IsSecret says whether the text is secret.
func (t Text) IsSecret() bool { return t.secret }

func (t Text) String() string {
	if t.secret {
		return Redacted
	}
	return t.value
}
func (t Text) GoString() string             { return fmt.Sprintf("%q", t.String()) }
func (t Text) Format(f fmt.State, _ rune)   { _, _ = io.WriteString(f, t.String()) }
func (t Text) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }
func (t Text) LogValue() slog.Value         { return slog.StringValue(t.String()) }

// FromValue converts a wire Value into native Go values: nil, bool, json.Number, string, []any,
// map[string]any, and Secret around any of them. A withheld secret (no kind) and an unknown
// value (check mode only) become nil.
func FromValue(v *openescv1.Value) any {
	if v == nil {
		return nil
	}
	var plain any
	switch k := v.GetKind().(type) {
	case *openescv1.Value_BoolValue:
		plain = k.BoolValue
	case *openescv1.Value_NumberValue:
		plain = json.Number(k.NumberValue)
	case *openescv1.Value_StringValue:
		plain = k.StringValue
	case *openescv1.Value_ListValue:
		list := make([]any, 0, len(k.ListValue.GetValues()))
		for _, e := range k.ListValue.GetValues() {
			list = append(list, FromValue(e))
		}
		plain = list
	case *openescv1.Value_ObjectValue:
		obj := make(map[string]any, len(k.ObjectValue.GetFields()))
		for key, e := range k.ObjectValue.GetFields() {
			obj[key] = FromValue(e)
		}
		plain = obj
	}
	if v.GetSecret() {
		return Secret{value: plain}
	}
	return plain
}

// Reveal returns a copy of v with every Secret and Text in it replaced by its plaintext, at any depth.
func Reveal(v any) any {
	switch x := v.(type) {
	case Secret:
		return Reveal(x.value)
	case Text:
		return x.value
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Reveal(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Reveal(e)
		}
		return out
	case map[string]Text:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = e.value
		}
		return out
	}
	return v
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
