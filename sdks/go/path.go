package openesc

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var (
	indexPattern = regexp.MustCompile(`^[0-9]+`)
	namePattern  = regexp.MustCompile(`^[^.\[\]"]+`)
)

// ParsePath parses a property path with the server's grammar: `db.password`, `hosts[0]`,
// `a["b.c"]`, `["x"].y` (a backslash in a quoted key escapes the next character). "" is the
// root. Each element is a string key or an int index. A malformed path is an ErrInvalid.
func ParsePath(text string) ([]any, error) {
	var out []any
	i := 0
	fail := func(why string) ([]any, error) {
		return nil, invalid(fmt.Sprintf("invalid property path %q: %s at column %d", text, why, i+1))
	}
	for i < len(text) {
		c := text[i]
		if c == '[' {
			i++
			if i < len(text) && text[i] == '"' {
				var key strings.Builder
				i++
				for i < len(text) && text[i] != '"' {
					if text[i] == '\\' && i+1 < len(text) {
						i++
					}
					key.WriteByte(text[i])
					i++
				}
				if i >= len(text) || text[i] != '"' {
					return fail("unterminated string")
				}
				i++
				out = append(out, key.String())
			} else {
				m := indexPattern.FindString(text[i:])
				if m == "" {
					return fail("expected an index or a quoted key")
				}
				n, err := strconv.Atoi(m)
				if err != nil {
					return fail("index out of range")
				}
				out = append(out, n)
				i += len(m)
			}
			if i >= len(text) || text[i] != ']' {
				return fail("expected ']'")
			}
			i++
		} else {
			if c == '.' {
				if len(out) == 0 {
					return fail("unexpected '.'")
				}
				i++
			} else if len(out) > 0 {
				return fail("expected '.' or '['")
			}
			m := namePattern.FindString(text[i:])
			if m == "" {
				return fail("expected a property name")
			}
			out = append(out, m)
			i += len(m)
		}
	}
	return out, nil
}

// ValueAt returns the value at path inside root, and whether there is one. Walking through a
// secret keeps the result secret: `db.password` inside a secret `db` is a Secret.
func ValueAt(root any, path string) (any, bool, error) {
	parts, err := ParsePath(path)
	if err != nil {
		return nil, false, err
	}
	current, secret := root, false
	for _, part := range parts {
		if s, ok := current.(Secret); ok {
			secret, current = true, s.value
		}
		switch p := part.(type) {
		case int:
			list, ok := current.([]any)
			if !ok || p >= len(list) {
				return nil, false, nil
			}
			current = list[p]
		case string:
			obj, ok := current.(map[string]any)
			if !ok {
				return nil, false, nil
			}
			if current, ok = obj[p]; !ok {
				return nil, false, nil
			}
		}
	}
	if _, ok := current.(Secret); secret && !ok {
		current = Secret{value: current}
	}
	return current, true, nil
}
