package deltacore

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The arm64 assembler cannot encode several NEON instructions the kernels
// need, so kernels_arm64.s and gemm_arm64.s spell them as WORD $0x........ with the mnemonic
// in a comment on the same line. Nothing checks a WORD when it is built: a
// wrong one runs some other instruction. TestNEONWords assembles every such
// mnemonic with GNU as for AArch64 (Debian package binutils-aarch64-linux-gnu)
// and checks that it encodes to the WORD beside it. It runs on any host that
// has the tools and skips elsewhere.

var (
	neonWordLine = regexp.MustCompile(`^\s*WORD\s`)
	neonWordRe   = regexp.MustCompile(`^\s*WORD\s+\$0x([0-9a-f]{8})\s*(?://\s*(.*?)\s*|/\*\s*(.*?)\s*\*/\s*\\?\s*)$`)
)

type neonWord struct {
	line     int
	word     uint32
	mnemonic string
}

func neonWords(t *testing.T, path string) []neonWord {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ws []neonWord
	for i, l := range strings.Split(string(src), "\n") {
		if !neonWordLine.MatchString(l) {
			continue
		}
		m := neonWordRe.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("%s:%d: WORD without a mnemonic comment (want `WORD $0x%%08x // mnemonic` or `/* mnemonic */` in a macro): %q", path, i+1, l)
			continue
		}
		w, _ := strconv.ParseUint(m[1], 16, 32)
		mn := m[2] + m[3]
		if mn == "" {
			t.Errorf("%s:%d: empty mnemonic", path, i+1)
			continue
		}
		ws = append(ws, neonWord{i + 1, uint32(w), mn})
	}
	return ws
}

func TestNEONWords(t *testing.T) {
	as, err := exec.LookPath("aarch64-linux-gnu-as")
	if err != nil {
		t.Skip("aarch64-linux-gnu-as not found (Debian: apt-get install binutils-aarch64-linux-gnu)")
	}
	objcopy, err := exec.LookPath("aarch64-linux-gnu-objcopy")
	if err != nil {
		t.Skip("aarch64-linux-gnu-objcopy not found")
	}
	for _, path := range []string{"kernels_arm64.s", "gemm_arm64.s", "gemv_arm64.s"} {
		t.Run(path, func(t *testing.T) { neonCheckWords(t, as, objcopy, path) })
	}
}

// neonCheckWords assembles the mnemonics of every WORD in path and compares.
func neonCheckWords(t *testing.T, as, objcopy, path string) {
	ws := neonWords(t, path)
	if len(ws) == 0 {
		t.Fatalf("%s: no WORD found", path)
	}
	dir := t.TempDir()
	var asm strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&asm, "\t%s\n", w.mnemonic)
	}
	sFile, oFile, binFile := filepath.Join(dir, "w.s"), filepath.Join(dir, "w.o"), filepath.Join(dir, "w.bin")
	if err := os.WriteFile(sFile, []byte(asm.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(as, "-o", oFile, sFile).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", as, err, out)
	}
	if out, err := exec.Command(objcopy, "-O", "binary", "--only-section=.text", oFile, binFile).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", objcopy, err, out)
	}
	bin, err := os.ReadFile(binFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(bin) != 4*len(ws) {
		t.Fatalf("assembled %d bytes for %d mnemonics (each must be exactly one instruction)", len(bin), len(ws))
	}
	distinct := map[string]bool{}
	for i, w := range ws {
		want := binary.LittleEndian.Uint32(bin[4*i:])
		if w.word != want {
			t.Errorf("%s:%d: WORD $0x%08x, but %q assembles to $0x%08x", path, w.line, w.word, w.mnemonic, want)
		}
		distinct[w.mnemonic] = true
	}
	if t.Failed() {
		return
	}
	t.Logf("%d WORDs (%d distinct instructions) in %s match their mnemonics", len(ws), len(distinct), path)
}
