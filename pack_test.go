package deltacore

import (
	"math/rand/v2"
	"testing"

	"github.com/deltacore/deltacore/internal/memguard"
)

// TestPackBT checks packBT (the 8×8 transposer of the level, and the scalar
// edges) against the definition dst[p*NR+c] = b[c*ldb+pc+p] for c < nr,
// p < kb, with b and dst each ending (or starting) at a guard page, so that
// a read or write past them faults; the columns nr…NR−1 of dst must be left
// as they were.
func TestPackBT(t *testing.T) {
	if !memguard.Supported {
		t.Skip("no guard pages on this OS")
	}
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(21, 22))
		NR := kn.nr
		for _, s := range [][4]int{ // kb, nr, pc, ldb−(pc+kb)
			{1, 1, 0, 0}, {8, 8, 0, 0}, {7, 9, 1, 3}, {16, NR, 0, 0}, {17, NR, 3, 5},
			{64, NR - 1, 0, 1}, {65, NR, 8, 0}, {130, 15, 2, 7}, {512, NR, 0, 512}, {9, 8, 0, 0},
		} {
			kb, nr, pc, pad := s[0], min(s[1], NR), s[2], s[3]
			ldb := pc + kb + pad
			for _, atEnd := range []bool{true, false} {
				bb, err := memguard.New((nr-1)*ldb + pc + kb)
				if err != nil {
					t.Fatal(err)
				}
				db, err := memguard.New(kb * NR)
				if err != nil {
					t.Fatal(err)
				}
				b, dst := bb.AtStart((nr-1)*ldb+pc+kb), db.AtStart(kb*NR)
				if atEnd {
					b, dst = bb.AtEnd(len(b)), db.AtEnd(len(dst))
				}
				for i := range b {
					b[i] = float32(rng.IntN(1 << 20))
				}
				for i := range dst {
					dst[i] = -1
				}
				if addr, bad := faults(func() { packBT(kn, dst, b, ldb, pc, kb, nr, NR) }); bad {
					t.Fatalf("kb=%d nr=%d pc=%d ldb=%d atEnd=%v: fault at %#x", kb, nr, pc, ldb, atEnd, addr)
				}
				for p := 0; p < kb; p++ {
					for c := 0; c < NR; c++ {
						want := float32(-1)
						if c < nr {
							want = b[c*ldb+pc+p]
						}
						if got := dst[p*NR+c]; got != want {
							t.Fatalf("kb=%d nr=%d pc=%d ldb=%d: dst[%d*NR+%d] = %v, want %v", kb, nr, pc, ldb, p, c, got, want)
						}
					}
				}
				bb.Free()
				db.Free()
			}
		}
	})
}
