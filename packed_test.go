package deltacore

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deltacore/deltacore/internal/israce"
)

// TestSgemmPackedStrides runs products on the packed path (k past
// directMaxK) with row strides of A and B that are multiples of
// aliasStride (the 4K-aliasing case: a power-of-two lda is what packA
// exists for), and with odd ones, in all four transpose modes, against the
// float64 reference. The shapes give slivers of op(A) of every kind packA
// has (MR rows, 8 < mr < MR rows through two overlapping 8-row
// transposes, exactly 8, fewer than 8), B blocks of full panels (the block
// packer) plus a partial one, kc blocks whose kb is no multiple of 8, and
// more than one mc and nc block (A·Bᵀ only with more than
// swapMaxM rows: fewer take the paths for few rows). The padding of A and B is NaN.
func TestSgemmPackedStrides(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(41, 42))
		MR, NR := kn.mr, kn.nr
		big := (swapMaxM/MR + 1) * MR // past the A·Bᵀ paths for few rows
		shapes := [][3]int{
			{big + MR - 3, NR + 5, directMaxK + 3},
			{big + 8, NR + 7, directMaxK + 2},
			{MR + 9, 2*NR + 5, directMaxK + 3},
			{2*MR + 8, 3 * NR, kn.kc + directMaxK + 5},
			{kn.mc + MR - 1, kn.nc + NR + 1, directMaxK + 1},
			{7, NR - 1, directMaxK + 9},
			{1, 1, directMaxK + 1},
		}
		for si, s := range shapes {
			m, n, k := s[0], s[1], s[2]
			if (testing.Short() || israce.Enabled) && m*n*k > 2<<20 {
				continue
			}
			for ti, tr := range gemmTrans {
				for _, pow2 := range []bool{true, false} {
					aRows, aCols := m, k
					if tr[0] == Trans {
						aRows, aCols = k, m
					}
					bRows, bCols := k, n
					if tr[1] == Trans {
						bRows, bCols = n, k
					}
					lda, ldb := aCols+1+si, bCols+3
					if pow2 {
						lda = (aCols + aliasStride - 1) / aliasStride * aliasStride
						ldb = (bCols + aliasStride - 1) / aliasStride * aliasStride
					}
					g := &gemmCase{tA: tr[0], tB: tr[1], m: m, n: n, k: k, alpha: -1.5, beta: gemmBetas[(si+ti)%3],
						lda: lda, ldb: ldb, ldc: n + ti}
					g.a = randMatrix(rng, aRows, aCols, g.lda, float32(math.NaN()))
					g.b = randMatrix(rng, bRows, bCols, g.ldb, float32(math.NaN()))
					g.c = randMatrix(rng, m, n, g.ldc, gemmSentinel)
					if g.beta == 0 {
						for i := 0; i < m; i++ {
							for j := 0; j < n; j++ {
								g.c[i*g.ldc+j] = float32(math.NaN())
							}
						}
					}
					ga := gemmArgs{kern: kn, tA: g.tA == Trans, tB: g.tB == Trans, m: m, n: n, k: k}
					// A·Bᵀ with few rows takes its own paths.
					if p := choosePath(&ga); p != pathPacked && (tr != [2]Transpose{NoTrans, Trans} || m > swapMaxM) {
						t.Fatalf("%v: path %d, want the packed path", g, p)
					}
					runGemmCase(t, g)
				}
			}
		}
	})
}

// TestPackA checks packA against its definition, dst[p*MR+r] =
// op(A)[i+r, pc+p] for r < mr, p < kb, for both op(A), every sliver height
// and kb with and without a tail past a multiple of 8; rows mr…MR−1 of dst
// must be left as they were.
func TestPackA(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(43, 44))
		MR := kn.mr
		for _, tA := range []bool{false, true} {
			for mr := 1; mr <= MR; mr++ {
				for _, kb := range []int{1, 7, 8, 9, 16, 29} {
					const i, pc = 3, 5
					rows, cols := i+mr, pc+kb // of op(A)
					aRows, aCols := rows, cols
					if tA {
						aRows, aCols = cols, rows
					}
					lda := aCols + 2
					a := randMatrix(rng, aRows, aCols, lda, float32(math.NaN()))
					at := func(r, p int) float32 {
						if tA {
							return a[p*lda+r]
						}
						return a[r*lda+p]
					}
					dst := make([]float32, kb*MR)
					for x := range dst {
						dst[x] = -7
					}
					g := gemmArgs{kern: kn, tA: tA, a: a, lda: lda}
					packA(&g, dst, i, pc, kb, mr)
					for p := 0; p < kb; p++ {
						for r := 0; r < MR; r++ {
							want := float32(-7)
							if r < mr {
								want = at(i+r, pc+p)
							}
							if got := dst[p*MR+r]; got != want {
								t.Fatalf("tA=%v mr=%d kb=%d: dst[%d*MR+%d] = %v, want %v", tA, mr, kb, p, r, got, want)
							}
						}
					}
				}
			}
		}
	})
}

// TestPackBlockN checks packBlockN and packBNFast (the level's copiers of
// full B panels) against packBN, the plain definition, with B's last
// element at the end of its slice.
func TestPackBlockN(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(45, 46))
		NR := kn.nr
		for _, s := range [][3]int{{1, 1, 0}, {2, 3, 1}, {7, 16, 5}, {64, 2, 0}, {33, 5, 9}} { // kb, nq, pc
			kb, nq, pc := s[0], s[1], s[2]
			ldb := nq*NR + 3
			b := randMatrix(rng, pc+kb, nq*NR, ldb, float32(math.NaN()))
			want := make([]float32, nq*NR*kb)
			for q := 0; q < nq; q++ {
				packBN(want[q*NR*kb:], b[q*NR:], ldb, pc, kb, NR, NR)
			}
			got := make([]float32, len(want))
			q0 := packBlockN(kn, got, b, ldb, pc, kb, nq)
			for q := q0; q < nq; q++ {
				packBNFast(kn, got[q*NR*kb:], b[q*NR:], ldb, pc, kb, NR, NR)
			}
			for x := range want {
				if got[x] != want[x] {
					t.Fatalf("kb=%d nq=%d pc=%d: element %d = %v, want %v", kb, nq, pc, x, got[x], want[x])
				}
			}
		}
	})
}
