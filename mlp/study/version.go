package study

import (
	"runtime/debug"
	"sync"
)

// BaseVersion is deltacore's version when the binary carries no better one
// (no module version and no VCS stamp, as in `go test` binaries).
const BaseVersion = "0.1.0-dev"

// Version returns the version of deltacore this binary was built from: the
// module version when it was built as a dependency or with one, else
// BaseVersion plus the VCS revision that `go build` stamps in a checkout
// ("+<12 hex digits>", and ".dirty" with uncommitted changes), else
// BaseVersion. Shard files record it; merge refuses to mix versions.
var Version = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return BaseVersion
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		v := BaseVersion + "+" + rev[:min(12, len(rev))]
		if dirty {
			v += ".dirty"
		}
		return v
	}
	if m := bi.Main; m.Path == "github.com/deltacore/deltacore" && m.Version != "" && m.Version != "(devel)" {
		return m.Version
	}
	for _, d := range bi.Deps {
		if d.Path == "github.com/deltacore/deltacore" && d.Version != "" {
			return d.Version
		}
	}
	return BaseVersion
})
