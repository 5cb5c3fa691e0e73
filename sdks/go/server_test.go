package openesc_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// testServer is a real `openesc serve` (the repository's bin/openesc.js, built into dist/ by
// `npm run build`) on a free loopback port with a temporary SQLite data directory.
type testServer struct {
	URL, Token, DataDir string
	cmd                 *exec.Cmd
}

var listening = regexp.MustCompile(`openesc: listening on (https?://\S+)`)

// startServer starts the server with extra arguments and stops it when the test ends.
func startServer(t testing.TB, args ...string) *testServer {
	t.Helper()
	s, err := launchServer(args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	return s
}

func launchServer(args ...string) (*testServer, error) {
	root, err := filepath.Abs("../..")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(root, "bin", "openesc.js")
	if _, err := os.Stat(filepath.Join(root, "dist")); err != nil {
		return nil, fmt.Errorf("the server is not built (%v): run `npm run build` in %s", err, root)
	}
	dir, err := os.MkdirTemp("", "openesc-go-sdk-")
	if err != nil {
		return nil, err
	}
	// Generous: a busy machine may take long to start Node.js; a server that exits ends the wait at once.
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.Command("node", append([]string{bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir}, args...)...)
	cmd.Env = append(os.Environ(), "OPENESC_LOG_LEVEL=warn")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start node (is Node.js 20+ installed?): %w", err)
	}
	found := make(chan string, 1)
	var (
		mu     sync.Mutex
		output strings.Builder
	)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if m := listening.FindStringSubmatch(line); m != nil {
				found <- m[1]
			} else {
				mu.Lock()
				output.WriteString(line + "\n")
				mu.Unlock()
			}
		}
		close(found)
	}()
	s := &testServer{DataDir: dir, cmd: cmd}
	select {
	case url, ok := <-found:
		if !ok {
			s.stop()
			mu.Lock()
			defer mu.Unlock()
			return nil, fmt.Errorf("the server exited before listening:\n%s", output.String())
		}
		s.URL = url
	case <-ctx.Done():
		s.stop()
		return nil, fmt.Errorf("the server did not start in 120 s")
	}
	token, err := os.ReadFile(filepath.Join(dir, "admin.token"))
	if err != nil {
		s.stop()
		return nil, err
	}
	s.Token = strings.TrimSpace(string(token))
	return s, nil
}

func (s *testServer) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-done
		}
	}
	_ = os.RemoveAll(s.DataDir)
}
