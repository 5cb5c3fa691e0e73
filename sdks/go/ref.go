package openesc

import (
	"fmt"
	"regexp"
	"strings"
)

// Ref names an environment and, optionally, a version: a revision number, a revision tag or
// "latest" ("" means the latest revision).
type Ref struct {
	Org, Project, Environment, Version string
}

var segmentPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

// ParseRef parses `org/project/env`, `org/project/env@12` or `org/project/env@stable`; with a
// defaultOrg, `project/env` names an environment of that org. A malformed reference is an ErrInvalid.
func ParseRef(text, defaultOrg string) (Ref, error) {
	name, version, hasVersion := strings.Cut(text, "@")
	parts := strings.Split(name, "/")
	if len(parts) == 2 && defaultOrg != "" {
		parts = append([]string{defaultOrg}, parts...)
	}
	if len(parts) != 3 {
		return Ref{}, invalid(fmt.Sprintf("invalid environment reference %q: expected org/project/environment[@version]", text))
	}
	for _, s := range parts {
		if !segmentPattern.MatchString(s) {
			return Ref{}, invalid(fmt.Sprintf("invalid environment reference %q: %q must be 1-100 letters, digits, '-', '_' or '.'", text, s))
		}
	}
	if hasVersion && version == "" {
		return Ref{}, invalid(fmt.Sprintf("invalid environment reference %q: empty version after \"@\"", text))
	}
	return Ref{Org: parts[0], Project: parts[1], Environment: parts[2], Version: version}, nil
}

// String prints the reference back.
func (r Ref) String() string {
	s := r.Org + "/" + r.Project + "/" + r.Environment
	if r.Version != "" {
		s += "@" + r.Version
	}
	return s
}
