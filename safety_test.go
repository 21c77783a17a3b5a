package deltacore

import (
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/deltacore/deltacore/internal/israce"
)

// wantPanic runs f and checks that it panics with the package's own message
// for function fn ("deltacore: fn: …") naming arg: a runtime error (an
// index out of range) or no panic fails.
func wantPanic(t *testing.T, what, fn, arg string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		s, ok := r.(string)
		if !ok || !strings.HasPrefix(s, "deltacore: "+fn+": ") || !strings.Contains(s, arg) {
			t.Errorf("%s: panic %v (%T), want deltacore: %s: … naming %q", what, r, r, fn, arg)
		}
	}()
	f()
}

// huge strides and sizes: 1<<62+1 times 2 overflows int; MaxInt and
// MaxInt−1 overflow at once.
var hugeInts = []int{1<<62 + 1, 1 << 62, 1<<63 - 1, 1<<63 - 2, 1 << 40}

// TestProductHugeArguments passes strides and sizes whose products overflow
// int (a one-element slice then looked long enough to a multiplying check):
// every call must end in the function's named panic, on every level and on
// every path (dot tile, direct, packed), never in a runtime error or a
// write outside the slices.
func TestProductHugeArguments(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		one := []float32{1}
		big := make([]float32, 4096)
		for _, h := range hugeInts {
			for _, tr := range gemmTrans {
				tA, tB := tr[0], tr[1]
				for _, s := range [][3]int{{3, 1, 1}, {4, 4, 16}, {3, 40, 20}, {1, 1, 1}} {
					m, n, k := s[0], s[1], s[2]
					aCols, bCols := k, n
					if tA == Trans {
						aCols = m
					}
					if tB == Trans {
						bCols = k
					}
					aLong := m*k > 1 // more than one element: one is too short
					bLong := n*k > 1
					// One huge stride at a time, the others minimal, each
					// matrix a short slice.
					if aLong {
						wantPanic(t, "lda", "Sgemm", "len(a)", func() { Sgemm(tA, tB, m, n, k, 1, one, h, big, bCols, 0, big[2048:], n) })
						wantPanic(t, "lda,alpha=0", "Sgemm", "len(a)", func() { Sgemm(tA, tB, m, n, k, 0, one, h, big, bCols, 1, big[2048:], n) })
					}
					if bLong {
						wantPanic(t, "ldb", "Sgemm", "len(b)", func() { Sgemm(tA, tB, m, n, k, 1, big, aCols, one, h, 0, big[2048:], n) })
					}
					if m*n > 1 {
						wantPanic(t, "ldc", "Sgemm", "len(c)", func() { Sgemm(tA, tB, m, n, k, 1, big, aCols, big[1024:], bCols, 0, one, h) })
					}
				}
				// Huge sizes: m·n, m·k, n·k overflow.
				wantPanic(t, "m,n", "Sgemm", "len(c)", func() { Sgemm(tA, tB, h, h, 0, 1, one, h, one, h, 0, one, h) })
				wantPanic(t, "m,k", "Sgemm", "len(a)", func() { Sgemm(tA, tB, h, 1, h, 1, one, h, one, h, 0, one, h) })
				wantPanic(t, "m,n,k", "Sgemm", "len(a)", func() { Sgemm(tA, tB, h, h, h, 0, one, h, one, h, 0, one, h) })
			}
			wantPanic(t, "fwd ldx", "DenseForward", "len(x)", func() { DenseForward(3, 2, 2, one, h, big, 2, nil, big[1024:], 2, nil, 0) })
			wantPanic(t, "fwd ldw", "DenseForward", "len(w)", func() { DenseForward(3, 2, 2, big, 2, one, h, nil, big[1024:], 2, nil, 0) })
			wantPanic(t, "fwd ldz", "DenseForward", "len(z)", func() { DenseForward(3, 2, 2, big, 2, big, 2, nil, one, h, nil, 0) })
			wantPanic(t, "fwd ldact", "DenseForward", "len(act)", func() { DenseForward(3, 2, 2, big, 2, big, 2, nil, big[1024:], 2, one, h) })
			wantPanic(t, "fwd dot ldx", "DenseForward", "len(x)", func() { DenseForward(4, 4, 32, one, h, big, 32, nil, big[1024:], 4, nil, 0) })
			wantPanic(t, "fwd m,n", "DenseForward", "len(z)", func() { DenseForward(h, h, 0, one, 1, one, 1, nil, one, h, nil, 0) })
			wantPanic(t, "bwd lddn", "DenseBackward", "len(dnext)", func() { DenseBackward(3, 2, 2, one, h, big, 2, big[1024:], 2, big[2048:], 2) })
			wantPanic(t, "bwd ldw", "DenseBackward", "len(w)", func() { DenseBackward(3, 2, 2, big, 2, one, h, big[1024:], 2, big[2048:], 2) })
			wantPanic(t, "bwd ldz", "DenseBackward", "len(z)", func() { DenseBackward(3, 2, 2, big, 2, big, 2, one, h, big[2048:], 2) })
			wantPanic(t, "bwd ldd", "DenseBackward", "len(d)", func() { DenseBackward(3, 2, 2, big, 2, big, 2, big[1024:], 2, one, h) })
			wantPanic(t, "bwd nn=0 ldz", "DenseBackward", "len(z)", func() { DenseBackward(3, 2, 0, nil, 1, nil, 2, one, h, big[2048:], 2) })
			wantPanic(t, "bwd m,n", "DenseBackward", "len(d)", func() { DenseBackward(h, h, 0, one, 1, one, h, one, h, one, h) })
			wantPanic(t, "colsums lda", "ColSums", "len(a)", func() { ColSums(make([]float32, 1), one, 3, 1, h) })
			wantPanic(t, "colsums rows", "ColSums", "len(a)", func() { ColSums(make([]float32, 2), one, h, 2, 2) })
		}
		// Negative and zero values name their argument.
		for _, c := range []struct {
			fn, arg string
			f       func()
		}{
			{"Sgemm", "m = -1", func() { Sgemm(NoTrans, NoTrans, -1, 1, 1, 1, big, 1, big, 1, 0, big, 1) }},
			{"Sgemm", "n = " + itoa(math.MinInt), func() { Sgemm(NoTrans, NoTrans, 1, math.MinInt, 1, 1, big, 1, big, 1, 0, big, 1) }},
			{"Sgemm", "k = -5", func() { Sgemm(NoTrans, NoTrans, 1, 1, -5, 1, big, 1, big, 1, 0, big, 1) }},
			{"Sgemm", "lda = -1", func() { Sgemm(NoTrans, NoTrans, 1, 1, 1, 1, big, -1, big, 1, 0, big, 1) }},
			{"Sgemm", "lda = 0", func() { Sgemm(NoTrans, NoTrans, 1, 1, 1, 1, big, 0, big, 1, 0, big, 1) }},
			{"Sgemm", "ldb = " + itoa(math.MinInt), func() { Sgemm(NoTrans, NoTrans, 1, 1, 1, 1, big, 1, big, math.MinInt, 0, big, 1) }},
			{"Sgemm", "ldc = 0", func() { Sgemm(NoTrans, NoTrans, 0, 0, 0, 1, big, 1, big, 1, 0, big, 0) }},
			{"DenseForward", "k = -1", func() { DenseForward(1, 1, -1, big, 1, big, 1, nil, big, 1, nil, 0) }},
			{"DenseForward", "ldx = 0", func() { DenseForward(1, 1, 1, big, 0, big, 1, nil, big, 1, nil, 0) }},
			{"DenseForward", "ldact = -3", func() { DenseForward(1, 1, 1, big, 1, big[8:], 1, nil, big[16:], 1, big[32:], -3) }},
			{"DenseBackward", "nn = -1", func() { DenseBackward(1, 1, -1, big, 1, big[8:], 1, big[16:], 1, big[32:], 1) }},
			{"DenseBackward", "lddn = 0", func() { DenseBackward(1, 1, 1, big, 0, big[8:], 1, big[16:], 1, big[32:], 1) }},
			{"DenseBackward", "ldz = -1", func() { DenseBackward(1, 1, 1, big, 1, big[8:], 1, big[16:], -1, big[32:], 1) }},
			{"ColSums", "rows = -1", func() { ColSums(nil, big, -1, 0, 1) }},
			{"ColSums", "lda = 0", func() { ColSums(nil, big, 1, 0, 0) }},
		} {
			wantPanic(t, c.arg, c.fn, c.arg, c.f)
		}
	})
}

func itoa(i int) string {
	var b strings.Builder
	if i < 0 {
		b.WriteByte('-')
	}
	u := uint64(i)
	if i < 0 {
		u = -u
	}
	var d [20]byte
	n := len(d)
	for {
		n--
		d[n] = byte('0' + u%10)
		if u /= 10; u == 0 {
			break
		}
	}
	b.Write(d[n:])
	return b.String()
}

// TestProductOverlap checks the overlap rules: Sgemm panics when C's span
// overlaps A's or B's (A and B may share memory); DenseForward when z or
// act overlap x, w, bias or each other; DenseBackward when d overlaps
// dnext, w, or z other than as z itself with the same stride. Each panic
// names its own function and arguments.
func TestProductOverlap(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		buf := make([]float32, 64*64*4)
		for i := range buf {
			buf[i] = float32(i%7) - 3
		}
		const n = 64
		A, B, C := buf[:n*n], buf[n*n:2*n*n], buf[2*n*n:3*n*n]
		for _, tr := range gemmTrans {
			tA, tB := tr[0], tr[1]
			wantPanic(t, "c=a=b", "Sgemm", "c overlaps a", func() { Sgemm(tA, tB, n, n, n, 1, A, n, A, n, 0, A, n) })
			wantPanic(t, "c=b", "Sgemm", "c overlaps b", func() { Sgemm(tA, tB, n, n, n, 1, A, n, B, n, 0, B, n) })
			wantPanic(t, "c in a", "Sgemm", "c overlaps a", func() { Sgemm(tA, tB, 8, 8, 8, 1, A, n, B, n, 0, A[n*7+7:], 8) })
			// Interleaved columns: disjoint elements, but the spans overlap.
			wantPanic(t, "c interleaved", "Sgemm", "c overlaps a", func() { Sgemm(tA, tB, 8, 8, 8, 1, A, 16, B, n, 1, A[8:], 16) })
			wantPanic(t, "c tail", "Sgemm", "c overlaps b", func() { Sgemm(tA, tB, 8, 8, 8, 1, A, n, B[8:], n, 1, B[7*n+15:], 8) })
			// Adjacent, not overlapping; A = B is allowed.
			Sgemm(tA, tB, n, n, n, 1, A, n, A, n, 0, C, n)
			Sgemm(tA, tB, 8, 8, 8, 1, A, n, B, n, 0, A[7*n+8:], n)
		}
		// A = B is computed right: check one element against float64.
		Sgemm(NoTrans, Trans, n, n, n, 1, A, n, A, n, 0, C, n)
		var s float64
		for p := 0; p < n; p++ {
			s += float64(A[3*n+p]) * float64(A[5*n+p])
		}
		if float64(C[3*n+5]) != s {
			t.Errorf("A·Aᵀ[3,5] = %v, want %v", C[3*n+5], s)
		}

		bias := buf[3*n*n : 3*n*n+8]
		x, w, z, act := A, B, C, buf[3*n*n+64:]
		fwd := []struct {
			name, arg string
			f         func()
		}{
			{"z=x", "z overlaps x", func() { DenseForward(8, 8, 8, x, 8, w, 8, nil, x[7:], 8, nil, 0) }},
			{"z=w", "z overlaps w", func() { DenseForward(8, 8, 8, x, 8, w, 8, nil, w, 8, nil, 0) }},
			{"z=bias", "z overlaps bias", func() { DenseForward(8, 8, 8, x, 8, w, 8, bias, buf[3*n*n-1:], 8, nil, 0) }},
			{"act=z", "act overlaps z", func() { DenseForward(8, 8, 8, x, 8, w, 8, nil, z, 8, z, 8) }},
			{"act in z", "act overlaps z", func() { DenseForward(8, 8, 8, x, 8, w, 8, nil, z, 16, z[8:], 16) }},
			{"act=x", "act overlaps x", func() { DenseForward(8, 8, 8, x, 8, w, 8, nil, z, 8, x[60:], 8) }},
			{"act=w", "act overlaps w", func() { DenseForward(8, 8, 8, x, 8, w, 8, nil, z, 8, w, 8) }},
			{"act=bias", "act overlaps bias", func() { DenseForward(8, 8, 8, x, 8, w, 8, bias, z, 8, buf[3*n*n+7:], 8) }},
		}
		for _, c := range fwd {
			wantPanic(t, c.name, "DenseForward", c.arg, c.f)
		}
		// x = w and bias inside x are fine.
		DenseForward(8, 8, 8, x, 8, x, 8, x[:8], z, 8, act, 8)

		bwd := []struct {
			name, arg string
			f         func()
		}{
			{"d=dnext", "d overlaps dnext", func() { DenseBackward(8, 8, 8, x, 8, w, 8, z, 8, x[63:], 8) }},
			{"d=w", "d overlaps w", func() { DenseBackward(8, 8, 8, x, 8, w, 8, z, 8, w[10:], 8) }},
			{"d in z", "d overlaps z", func() { DenseBackward(8, 8, 8, x, 8, w, 8, z, 8, z[1:], 8) }},
			{"d=z stride", "ldd", func() { DenseBackward(8, 8, 8, x, 8, w, 8, z, 8, z, 9) }},
		}
		for _, c := range bwd {
			wantPanic(t, c.name, "DenseBackward", c.arg, c.f)
		}
		DenseBackward(8, 8, 8, x, 8, w, 8, z, 8, z, 8)
		DenseBackward(8, 8, 8, x, 8, x, 8, x, 8, z, 8) // dnext, w, z may overlap
	})
}

// TestProductMessagesNameOwnArguments checks that DenseForward and
// DenseBackward name their own parameters, not Sgemm's, and that
// DenseForwardAct and DenseBackwardAct name themselves.
func TestProductMessagesNameOwnArguments(t *testing.T) {
	x := make([]float32, 100)
	wantPanic(t, "fwd ldx", "DenseForward", "ldx = 1 < max(1, 2)", func() { DenseForward(2, 2, 2, x, 1, x, 2, nil, x[50:], 2, nil, 0) })
	wantPanic(t, "fwd ldw", "DenseForward", "ldw = 1", func() { DenseForward(2, 2, 2, x, 2, x, 1, nil, x[50:], 2, nil, 0) })
	wantPanic(t, "fwd ldz", "DenseForward", "ldz = 1", func() { DenseForward(2, 2, 2, x, 2, x, 2, nil, x[50:], 1, nil, 0) })
	wantPanic(t, "fwd len(w)", "DenseForward", "len(w) = 3", func() { DenseForward(2, 2, 2, x, 2, x[:3], 2, nil, x[50:], 2, nil, 0) })
	wantPanic(t, "bwd lddn", "DenseBackward", "lddn = 1", func() { DenseBackward(2, 2, 2, x, 1, x, 2, x, 2, x[50:], 2) })
	wantPanic(t, "bwd nn", "DenseBackward", "nn = -2", func() { DenseBackward(2, 2, -2, x, 2, x, 2, x, 2, x[50:], 2) })
	wantPanic(t, "bwd ldd", "DenseBackward", "ldd = 1", func() { DenseBackward(2, 2, 2, x, 2, x, 2, x, 2, x[50:], 1) })
	wantPanic(t, "bwd len(dnext)", "DenseBackward", "len(dnext) = 3", func() { DenseBackward(2, 2, 2, x[:3], 2, x, 2, x, 2, x[50:], 2) })
	// The activation variants name themselves, for the product's
	// arguments and for their own checks alike, with either activation.
	for _, f := range []Activation{ActSigmoid, ActTanh} {
		fwd, bwd := "fwdact "+f.String(), "bwdact "+f.String()
		wantPanic(t, fwd+" ldx", "DenseForwardAct", "ldx = 1 < max(1, 2)", func() { DenseForwardAct(f, 2, 2, 2, x, 1, x, 2, nil, x[50:], 2, nil, 0) })
		wantPanic(t, fwd+" len(w)", "DenseForwardAct", "len(w) = 3", func() { DenseForwardAct(f, 2, 2, 2, x, 2, x[:3], 2, nil, x[50:], 2, nil, 0) })
		wantPanic(t, fwd+" len(bias)", "DenseForwardAct", "len(bias) = 1", func() { DenseForwardAct(f, 2, 2, 2, x, 2, x, 2, x[:1], x[50:], 2, nil, 0) })
		wantPanic(t, fwd+" ldact", "DenseForwardAct", "ldact = 1", func() { DenseForwardAct(f, 2, 2, 2, x, 2, x, 2, nil, x[50:], 2, x[70:], 1) })
		wantPanic(t, fwd+" act overlaps z", "DenseForwardAct", "act overlaps z", func() { DenseForwardAct(f, 2, 2, 2, x, 2, x, 2, nil, x[50:], 2, x[51:], 2) })
		wantPanic(t, bwd+" lddn", "DenseBackwardAct", "lddn = 1", func() { DenseBackwardAct(f, 2, 2, 2, x, 1, x, 2, x, 2, x[50:], 2) })
		wantPanic(t, bwd+" nn", "DenseBackwardAct", "nn = -2", func() { DenseBackwardAct(f, 2, 2, -2, x, 2, x, 2, x, 2, x[50:], 2) })
		wantPanic(t, bwd+" ldz", "DenseBackwardAct", "ldz = 1", func() { DenseBackwardAct(f, 2, 2, 2, x, 2, x, 2, x, 1, x[50:], 2) })
		wantPanic(t, bwd+" d overlaps z", "DenseBackwardAct", "d overlaps z", func() { DenseBackwardAct(f, 2, 2, 2, x, 2, x, 2, x[50:], 2, x[51:], 2) })
		wantPanic(t, bwd+" ldd", "DenseBackwardAct", "ldd = 3 != ldz = 2", func() { DenseBackwardAct(f, 2, 2, 2, x, 2, x, 2, x[50:], 2, x[50:], 3) })
	}
}

// TestProductEdgeStrides checks that the largest strides that do fit are
// accepted and computed right: one row (any lda ≥ k is fine), and a stride
// that reaches exactly the last element.
func TestProductEdgeStrides(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(1, 2))
		a := randMatrix(rng, 1, 20, 20, 0)
		b := randMatrix(rng, 20, 3, 3, 0)
		c := make([]float32, 3)
		Sgemm(NoTrans, NoTrans, 1, 3, 20, 1, a, math.MaxInt, b, 3, 0, c, math.MaxInt)
		for j := 0; j < 3; j++ {
			var s float64
			for p := 0; p < 20; p++ {
				s += float64(a[p]) * float64(b[p*3+j])
			}
			if math.Abs(float64(c[j])-s) > 1e-5 {
				t.Errorf("c[%d] = %v, want %v", j, c[j], s)
			}
		}
		// rows−1 = (len−cols)/ld exactly.
		x := make([]float32, 2*1000+1)
		Sgemm(NoTrans, NoTrans, 3, 5, 1, 1, x, 1000, x[:5], 5, 0, make([]float32, 15), 5)
	})
}

// TestSplitProductAllocs checks that products split across goroutines
// allocate nothing once the engine's buffers exist, at 2 and 3 threads and
// across garbage collections: the parts, their WaitGroup and the packing
// buffers are kept by the engine, and the goroutines are started without
// a closure. The default engine's least work per goroutine is lowered so
// that every product here splits (the Sgemm 256³ would anyway).
func TestSplitProductAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocation counts differ under coverage")
	}
	old := defaultEngine.minWork
	defaultEngine.minWork = 1 << 12
	t.Cleanup(func() { defaultEngine.minWork = old })
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		a := make([]float32, 1000*784)
		b := make([]float32, 784*1000)
		c := make([]float32, 1000*1000)
		act := make([]float32, 1000*100)
		bias := make([]float32, 100)
		s, M, pm := 256, 1000, 100 // the cases; smaller where the kernels are slow
		if kn == &genericGemm {
			s, M = 96, 200
		}
		if reducedTests() {
			// 117 s of a loaded qemu Haswell pass: the same paths and
			// splits on smaller products.
			s, M, pm = 64, 100, 2*kn.mr+1
		}
		threadCounts := []int{2, 3}
		if reducedTests() {
			threadCounts = threadCounts[:1]
		}
		for _, threads := range threadCounts {
			old := SetGemmThreads(threads)
			t.Cleanup(func() { SetGemmThreads(old) })
			calls := []struct {
				name string
				f    func()
			}{
				{"Sgemm NN s³", func() { Sgemm(NoTrans, NoTrans, s, s, s, 1, a, s, b, s, 0, c, s) }},
				{"Sgemm TT s³", func() { Sgemm(Trans, Trans, s, s, s, 1, a, s, b, s, 0, c, s) }},
				{"Sgemm NT M×30×s", func() { Sgemm(NoTrans, Trans, M, 30, s, 1, a, s, b, s, 0, c, 30) }},
				{"Sgemm NT 8×200×s (dot)", func() { Sgemm(NoTrans, Trans, 8, 200, s, 1, a, s, b, s, 0, c, 200) }},
				{"Sgemm TN pm×s×1100 (packed)", func() { Sgemm(Trans, NoTrans, pm, s, 1100, 1, a, pm, b, s, 0, c, s) }},
				{"DenseForward M×100×s", func() { DenseForward(M, 100, s, a, s, b, s, bias, c, 100, act, 100) }},
				{"DenseBackward M×100×10", func() { DenseBackward(M, 100, 10, a, 10, b, 100, act, 100, c, 100) }},
				{"DenseBackward 300×s×100 d=z", func() { DenseBackward(300, s, 100, a, 100, b, s, c, s, c, s) }},
			}
			for _, call := range calls {
				// Warm up: the engine's buffers, and the runtime's free
				// goroutine descriptors on each P (see gemmRun's doc).
				for range 20 {
					call.f()
				}
				if allocs := testing.AllocsPerRun(5, call.f); allocs != 0 {
					t.Errorf("threads=%d %s (s=%d): %v allocs per call", threads, call.name, s, allocs)
				}
				gc := func() { runtime.GC(); runtime.GC(); call.f() }
				if allocs := testing.AllocsPerRun(2, gc); allocs != 0 {
					t.Errorf("threads=%d %s (s=%d) after two GCs: %v allocs per call", threads, call.name, s, allocs)
				}
			}
		}
	})
}

// reducedTests reports whether the slow tests should scale down: under
// -short, -race, or emulation (DELTACORE_SLOW_EMULATION, set by .ci/run).
func reducedTests() bool {
	return testing.Short() || israce.Enabled || os.Getenv("DELTACORE_SLOW_EMULATION") != ""
}
