package openesc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// storedServer is one server in the CLI credentials file (written by `openesc login`).
type storedServer struct {
	Token    string `json:"token"`
	Org      string `json:"org,omitempty"`
	Insecure bool   `json:"insecure,omitempty"`
	CAFile   string `json:"caFile,omitempty"`
}

// storedCredentials is the CLI credentials file: {current, servers: {URL: {token, …}}}.
type storedCredentials struct {
	Current string                  `json:"current"`
	Servers map[string]storedServer `json:"servers"`
}

// CredentialsPath is $OPENESC_HOME/credentials.json, else ~/.openesc/credentials.json.
func CredentialsPath(getenv func(string) string) string {
	if home := getenv("OPENESC_HOME"); home != "" {
		return filepath.Join(home, "credentials.json")
	}
	dir, err := os.UserHomeDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, ".openesc", "credentials.json")
}

// readCredentials reads the file; a missing file is empty, a broken one an error.
func readCredentials(getenv func(string) string) (storedCredentials, error) {
	path := CredentialsPath(getenv)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return storedCredentials{}, nil
	}
	if err != nil {
		return storedCredentials{}, fmt.Errorf("openesc: cannot read %s: %w", path, err)
	}
	var creds storedCredentials
	if err := json.Unmarshal(data, &creds); err != nil {
		return storedCredentials{}, fmt.Errorf("openesc: %s is not valid JSON; fix it or log in again", path)
	}
	return creds, nil
}

// normalizeURL accepts http(s) URLs only and drops a trailing slash, as the CLI stores them.
func normalizeURL(text string) (string, error) {
	u, err := url.Parse(text)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("openesc: invalid server URL %q: expected http://HOST:PORT or https://HOST:PORT", text)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimRight(u.Path, "/"), nil
}
