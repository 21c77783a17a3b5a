//go:build libmvec && cgo && amd64

// Command mvecpeer times deltacore's σ and σ′ against the same functions
// built on glibc's vector expf (libmvec's AVX-512 _ZGVeN16v_expf, or with
// -isa avx2 its AVX2 _ZGVdN8v_expf against our AVX2 level), in one
// process, by process CPU time (CLOCK_PROCESS_CPUTIME_ID, so that other
// processes on a shared machine are left out), median of interleaved
// rounds, with the copy rate (Go's copy) beside them. deltacore's bench has
// no elementwise peers; this is the measurement issue 16 asks for:
//
//	go run -tags libmvec ./scripts/mvecpeer [-rounds 7] [-n 4096,16777216] [-isa avx2] [-bound=false]
//
// Beside each kernel it times the kernel's instruction-mix bound (package
// bound, generated with the kernels): the same instructions for one
// vector with their data dependencies taken out, the fastest they can
// issue on this CPU. A ratio to libmvec that would need more than the
// bound needs fewer instructions, not a better schedule.
//
// -isa avx2 stands in for a CPU without AVX-512 (both sides limited to
// ymm registers), on a CPU that has it.
package main

/*
#cgo CFLAGS: -O2 -mavx512f -mavx2
#cgo LDFLAGS: -lmvec -lm
#include <immintrin.h>

__m512 _ZGVeN16v_expf(__m512);
__m256 _ZGVdN8v_expf(__m256);

// σ(z) = 1/(1 + e^(−z)); n is a multiple of 16.
static void mvec_sigmoid(float *dst, const float *z, long n) {
	const __m512 one = _mm512_set1_ps(1.0f);
	for (long i = 0; i < n; i += 16) {
		__m512 e = _ZGVeN16v_expf(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_loadu_ps(z + i)));
		_mm512_storeu_ps(dst + i, _mm512_div_ps(one, _mm512_add_ps(one, e)));
	}
}

// σ′(z) = t/(1 + t)², t = e^(−|z|); n is a multiple of 16.
static void mvec_sigmoid_prime(float *dst, const float *z, long n) {
	const __m512 one = _mm512_set1_ps(1.0f);
	for (long i = 0; i < n; i += 16) {
		__m512 a = _mm512_abs_ps(_mm512_loadu_ps(z + i));
		__m512 t = _ZGVeN16v_expf(_mm512_sub_ps(_mm512_setzero_ps(), a));
		__m512 d = _mm512_add_ps(one, t);
		_mm512_storeu_ps(dst + i, _mm512_div_ps(t, _mm512_mul_ps(d, d)));
	}
}

// The same with libmvec's AVX2 expf, 8 lanes; n is a multiple of 8.
static void mvec_sigmoid8(float *dst, const float *z, long n) {
	const __m256 one = _mm256_set1_ps(1.0f);
	for (long i = 0; i < n; i += 8) {
		__m256 e = _ZGVdN8v_expf(_mm256_sub_ps(_mm256_setzero_ps(), _mm256_loadu_ps(z + i)));
		_mm256_storeu_ps(dst + i, _mm256_div_ps(one, _mm256_add_ps(one, e)));
	}
}

static void mvec_sigmoid_prime8(float *dst, const float *z, long n) {
	const __m256 one = _mm256_set1_ps(1.0f);
	const __m256 sign = _mm256_set1_ps(-0.0f);
	for (long i = 0; i < n; i += 8) {
		__m256 a = _mm256_andnot_ps(sign, _mm256_loadu_ps(z + i));
		__m256 t = _ZGVdN8v_expf(_mm256_sub_ps(_mm256_setzero_ps(), a));
		__m256 d = _mm256_add_ps(one, t);
		_mm256_storeu_ps(dst + i, _mm256_div_ps(t, _mm256_mul_ps(d, d)));
	}
}
*/
import "C"

import (
	"flag"
	"fmt"
	"log"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/scripts/mvecpeer/bound"
	"golang.org/x/sys/unix"
)

func cpuTime() float64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		log.Fatal(err)
	}
	return float64(ts.Sec) + float64(ts.Nsec)*1e-9
}

// rate times f (one call processes n elements) for about d of CPU time and
// returns Gelem/s. It reads the clock once per batch of calls that process
// at least 1M elements, not after every call: reading the process CPU
// clock is a system call (no vDSO), about 0.3 µs, which at n = 4096 is a
// third of one call of ours and would shrink every ratio towards 1.
func rate(f func(), n int, d float64) float64 {
	f()
	batch := max(1, (1<<20)/n)
	calls := 0
	t0 := cpuTime()
	for {
		for range batch {
			f()
		}
		calls += batch
		if el := cpuTime() - t0; el >= d {
			return float64(calls) * float64(n) / el / 1e9
		}
	}
}

func main() {
	rounds := flag.Int("rounds", 7, "interleaved rounds; the median is printed")
	sizes := flag.String("n", "4096,16777216", "comma-separated lengths (multiples of 16)")
	sample := flag.Duration("sample", 100*time.Millisecond, "CPU time per sample")
	best := flag.Bool("best", false, "print the best round instead of the median (on a loaded machine)")
	isa := flag.String("isa", "", "avx2: our AVX2 level against libmvec's AVX2 expf (default: the level in use against its AVX-512 expf)")
	withBound := flag.Bool("bound", true, "also time each kernel's instruction-mix bound (its instructions without their dependencies) and print how far from it the kernel runs")
	flag.Parse()
	mvSig := func(dp, zp *C.float, n C.long) { C.mvec_sigmoid(dp, zp, n) }
	mvPrime := func(dp, zp *C.float, n C.long) { C.mvec_sigmoid_prime(dp, zp, n) }
	sigBound, primeBound, lanes := bound.Sigmoid512, bound.Prime512, 16
	switch *isa {
	case "":
	case "avx2":
		if err := deltacore.SetLevel(deltacore.AVX2); err != nil {
			log.Fatal(err)
		}
		mvSig = func(dp, zp *C.float, n C.long) { C.mvec_sigmoid8(dp, zp, n) }
		mvPrime = func(dp, zp *C.float, n C.long) { C.mvec_sigmoid_prime8(dp, zp, n) }
		sigBound, primeBound, lanes = bound.Sigmoid256, bound.Prime256, 8
	default:
		log.Fatalf("-isa %q: want avx2 or nothing", *isa)
	}
	if *isa == "" && !slices.Contains(deltacore.Levels(), deltacore.AVX512) {
		// libmvec's AVX-512 expf and the AVX-512 bound loops would not
		// run here: both sides at AVX2, as -isa avx2.
		if !slices.Contains(deltacore.Levels(), deltacore.AVX2) {
			log.Fatalf("mvecpeer: this CPU has neither AVX-512 nor AVX2 (levels %v)", deltacore.Levels())
		}
		log.Printf("mvecpeer: no AVX-512 on this CPU: libmvec's AVX2 expf against our AVX2 level, as with -isa avx2")
		mvSig = func(dp, zp *C.float, n C.long) { C.mvec_sigmoid8(dp, zp, n) }
		mvPrime = func(dp, zp *C.float, n C.long) { C.mvec_sigmoid_prime8(dp, zp, n) }
		sigBound, primeBound, lanes = bound.Sigmoid256, bound.Prime256, 8
	}
	if l := deltacore.CurrentLevel(); (lanes == 16 && l != deltacore.AVX512) || (lanes == 8 && l != deltacore.AVX2) {
		// DELTACORE_ISA capped our side below the bound loops' level:
		// they would not be its instructions.
		log.Printf("mvecpeer: our level is %s: no instruction-mix bound", l)
		*withBound = false
	}
	runtime.GOMAXPROCS(1)
	runtime.LockOSThread()
	stat := "median"
	if *best {
		stat = "best"
	}
	fmt.Printf("level %s, %s of %d interleaved rounds, process CPU time, Gelem/s\n", deltacore.CurrentLevel(), stat, *rounds)
	fmt.Printf("%-10s %-18s %8s %8s %7s\n", "n", "kernel", "ours", "libmvec", "ratio")
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 || n%16 != 0 {
			log.Fatalf("bad length %q", s)
		}
		z := make([]float32, n)
		for i := range z {
			z[i] = float32(i%4096)/256 - 8
		}
		dst := make([]float32, n)
		// The copy's source is written first: a never-written allocation
		// reads as the kernel's shared zero page, which stays in cache and
		// makes the copy look twice as fast as DRAM allows.
		src := make([]float32, n)
		for i := range src {
			src[i] = float32(i)
		}
		zp := (*C.float)(unsafe.Pointer(&z[0]))
		dp := (*C.float)(unsafe.Pointer(&dst[0]))
		fs := []struct {
			name string
			f    func()
		}{
			{"sigmoid", func() { deltacore.Sigmoid(dst, z) }},
			{"sigmoid/mvec", func() { mvSig(dp, zp, C.long(n)) }},
			{"prime", func() { deltacore.SigmoidPrime(dst, z) }},
			{"prime/mvec", func() { mvPrime(dp, zp, C.long(n)) }},
			{"copy", func() { copy(dst, src) }},
		}
		// The bound loops issue as many vectors' instructions per call as
		// the kernels take for n elements.
		iters := max(1, n/(lanes*bound.Unroll))
		nb := iters * lanes * bound.Unroll
		if *withBound {
			fs = append(fs, []struct {
				name string
				f    func()
			}{
				{"sigmoid/bound", func() { sigBound(iters) }},
				{"prime/bound", func() { primeBound(iters) }},
			}...)
		}
		elems := make([]int, len(fs)) // per call
		for i := range fs {
			elems[i] = n
			if strings.HasSuffix(fs[i].name, "/bound") {
				elems[i] = nb
			}
		}
		res := make([][]float64, len(fs))
		for range *rounds {
			for i, f := range fs {
				res[i] = append(res[i], rate(f.f, elems[i], sample.Seconds()))
			}
		}
		med := func(i int) float64 {
			slices.Sort(res[i])
			if *best {
				return res[i][len(res[i])-1]
			}
			return res[i][len(res[i])/2]
		}
		sig, sigM, pr, prM, cp := med(0), med(1), med(2), med(3), med(4)
		fmt.Printf("%-10d %-18s %8.3f %8.3f %7.2f\n", n, "Sigmoid", sig, sigM, sig/sigM)
		fmt.Printf("%-10d %-18s %8.3f %8.3f %7.2f\n", n, "SigmoidPrime", pr, prM, pr/prM)
		fmt.Printf("%-10d %-18s %8.3f %8s %7s   (σ %.0f %%, σ′ %.0f %% of the copy rate)\n", n, "copy", cp, "", "", 100*sig/cp, 100*pr/cp)
		if *withBound {
			// A kernel that runs at its instructions' issue bound gets no
			// faster without fewer instructions: a ratio to libmvec above
			// bound/libmvec is out of its reach on this CPU.
			for _, k := range []struct {
				name        string
				ours, peer  float64
				boundResult int
			}{{"Sigmoid", sig, sigM, 5}, {"SigmoidPrime", pr, prM, 6}} {
				b := med(k.boundResult)
				fmt.Printf("%-10d %-18s %8.3f %8s %7.2f   (instruction-mix bound: ours at %.0f %% of it; 2× libmvec would need %.0f %% of it)\n",
					n, k.name+"/bound", b, "", b/k.peer, 100*k.ours/b, 100*2*k.peer/b)
			}
		}
	}
}
