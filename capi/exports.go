package main

/*
#cgo LDFLAGS: -ldl
#include <stddef.h>

extern volatile int capiForked;
void capiXerbla(const char *name, int info);
void capiCblasXerbla(int rowMajor, int info, const char *rout, const char *form, int value);
*/
import "C"

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/deltacore/deltacore"
)

// The CBLAS enum values (cblas.h).
const (
	cblasRowMajor  = 101
	cblasColMajor  = 102
	cblasNoTrans   = 111
	cblasTrans     = 112
	cblasConjTrans = 113
)

// cstr passes a NUL-terminated Go string constant to C.
func cstr(s string) *C.char { return (*C.char)(unsafe.Pointer(unsafe.StringData(s))) }

// xerbla reports a Fortran routine's bad argument: info > 0 is the reference
// INFO, info < 0 a NULL pointer at position −info. name is blank-padded to 6
// characters and NUL-terminated.
func xerbla(name string, info int) {
	C.capiXerbla(cstr(name), C.int(max(info, -info)))
}

// cblasXerbla reports a CBLAS routine's bad argument p. rowMajor is set for
// a number of the transposed column-major call, which cblas_xerbla renumbers.
func cblasXerbla(rowMajor bool, p int, rout string) {
	rm := C.int(0)
	if rowMajor {
		rm = 1
	}
	C.capiCblasXerbla(rm, C.int(p), cstr(rout), cstr("\x00"), 0)
}

// cblasSetting reports an illegal layout or transpose value.
func cblasSetting(p int, rout, form string, value C.int) {
	C.capiCblasXerbla(0, C.int(p), cstr(rout), cstr(form), value)
}

// guard recovers a Go panic at the C boundary (none is expected: every
// argument is checked first) and reports it on stderr, so that it never
// unwinds into C.
func guard(routine string) {
	if r := recover(); r != nil {
		fmt.Fprintf(os.Stderr, "libdeltacore: internal error in %s: %v\n", strings.TrimRight(routine, "\x00 "), r)
	}
}

var forkHandled atomic.Bool

// forkCheck runs at the start of every exported routine. In a child of fork() (Python's multiprocessing does that), the Go
// runtime's other threads are gone, so from then on every product runs on
// the calling thread and the garbage collector, which needs its worker
// threads, is off (the library allocates little: its buffers are kept).
// Without this, a parallel product in such a child waits for ever.
func forkCheck() {
	if C.capiForked != 0 && !forkHandled.Swap(true) {
		applyThreads(1)
		debug.SetGCPercent(-1)
	}
}

// cTrans decodes a CBLAS_TRANSPOSE as the Fortran character of the same
// operation; ok is false for any other value.
func cTrans(t C.int) (byte, bool) {
	switch t {
	case cblasNoTrans:
		return 'N', true
	case cblasTrans, cblasConjTrans:
		return 'T', true
	}
	return 0, false
}

func fp(p *C.float) *float32 { return (*float32)(unsafe.Pointer(p)) }

// ---- CBLAS ----

//export cblas_sgemm
func cblas_sgemm(layout, transA, transB, m, n, k C.int, alpha C.float, a *C.float, lda C.int,
	b *C.float, ldb C.int, beta C.float, c *C.float, ldc C.int) {
	const rout = "cblas_sgemm\x00"
	defer guard(rout)
	forkCheck()
	count(0)
	if layout != cblasColMajor && layout != cblasRowMajor {
		cblasSetting(1, rout, "Illegal layout setting, %d\n\x00", layout)
		return
	}
	ta, ok := cTrans(transA)
	if !ok {
		cblasSetting(2, rout, "Illegal TransA setting, %d\n\x00", transA)
		return
	}
	tb, ok := cTrans(transB)
	if !ok {
		cblasSetting(3, rout, "Illegal TransB setting, %d\n\x00", transB)
		return
	}
	if layout == cblasColMajor {
		info := sgemm(ta, tb, int(m), int(n), int(k), float32(alpha), fp(a), int(lda), fp(b), int(ldb),
			float32(beta), fp(c), int(ldc))
		if info != 0 {
			cblasXerbla(false, max(info, -info)+1, rout)
		}
		return
	}
	// Row-major C is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: the reference's call.
	info := sgemm(tb, ta, int(n), int(m), int(k), float32(alpha), fp(b), int(ldb), fp(a), int(lda),
		float32(beta), fp(c), int(ldc))
	switch info {
	case 0:
	case -7: // B
		cblasXerbla(false, 10, rout)
	case -9: // A
		cblasXerbla(false, 8, rout)
	case -12: // C
		cblasXerbla(false, 13, rout)
	default:
		cblasXerbla(true, info+1, rout)
	}
}

//export cblas_sgemv
func cblas_sgemv(layout, transA, m, n C.int, alpha C.float, a *C.float, lda C.int,
	x *C.float, incX C.int, beta C.float, y *C.float, incY C.int) {
	const rout = "cblas_sgemv\x00"
	defer guard(rout)
	forkCheck()
	count(1)
	if layout != cblasColMajor && layout != cblasRowMajor {
		cblasSetting(1, rout, "Illegal layout setting, %d\n\x00", layout)
		return
	}
	ta, ok := cTrans(transA)
	if !ok {
		cblasSetting(2, rout, "Illegal TransA setting, %d\n\x00", transA)
		return
	}
	rowMajor := layout == cblasRowMajor
	mm, nn := int(m), int(n)
	if rowMajor {
		// Row-major A is column-major Aᵀ (n×m).
		mm, nn = nn, mm
		if ta == 'N' {
			ta = 'T'
		} else {
			ta = 'N'
		}
	}
	info := sgemv(ta, mm, nn, float32(alpha), fp(a), int(lda), fp(x), int(incX),
		float32(beta), fp(y), int(incY))
	if info < 0 {
		cblasXerbla(false, -info+1, rout) // A, X, Y keep their places
	} else if info > 0 {
		cblasXerbla(rowMajor, info+1, rout)
	}
}

//export cblas_sger
func cblas_sger(layout, m, n C.int, alpha C.float, x *C.float, incX C.int,
	y *C.float, incY C.int, a *C.float, lda C.int) {
	const rout = "cblas_sger\x00"
	defer guard(rout)
	forkCheck()
	count(2)
	switch layout {
	case cblasColMajor:
		info := sger(int(m), int(n), float32(alpha), fp(x), int(incX), fp(y), int(incY), fp(a), int(lda))
		if info != 0 {
			cblasXerbla(false, max(info, -info)+1, rout)
		}
	case cblasRowMajor:
		// Row-major A += x·yᵀ is column-major Aᵀ += y·xᵀ.
		info := sger(int(n), int(m), float32(alpha), fp(y), int(incY), fp(x), int(incX), fp(a), int(lda))
		switch info {
		case 0:
		case -4: // Y
			cblasXerbla(false, 7, rout)
		case -6: // X
			cblasXerbla(false, 5, rout)
		case -8: // A
			cblasXerbla(false, 9, rout)
		default:
			cblasXerbla(true, info+1, rout)
		}
	default:
		cblasSetting(1, rout, "Illegal layout setting, %d\n\x00", layout)
	}
}

//export cblas_saxpy
func cblas_saxpy(n C.int, alpha C.float, x *C.float, incX C.int, y *C.float, incY C.int) {
	const rout = "cblas_saxpy\x00"
	defer guard(rout)
	forkCheck()
	count(3)
	if info := saxpy(int(n), float32(alpha), fp(x), int(incX), fp(y), int(incY)); info != 0 {
		cblasXerbla(false, -info, rout)
	}
}

//export cblas_sdot
func cblas_sdot(n C.int, x *C.float, incX C.int, y *C.float, incY C.int) (r C.float) {
	const rout = "cblas_sdot\x00"
	defer guard(rout)
	forkCheck()
	count(4)
	s, info := sdot(int(n), fp(x), int(incX), fp(y), int(incY))
	if info != 0 {
		cblasXerbla(false, -info, rout)
	}
	return C.float(s)
}

//export cblas_sscal
func cblas_sscal(n C.int, alpha C.float, x *C.float, incX C.int) {
	const rout = "cblas_sscal\x00"
	defer guard(rout)
	forkCheck()
	count(5)
	if info := sscal(int(n), float32(alpha), fp(x), int(incX)); info != 0 {
		cblasXerbla(false, -info, rout)
	}
}

//export cblas_snrm2
func cblas_snrm2(n C.int, x *C.float, incX C.int) (r C.float) {
	const rout = "cblas_snrm2\x00"
	defer guard(rout)
	forkCheck()
	count(6)
	s, info := snrm2(int(n), fp(x), int(incX))
	if info != 0 {
		cblasXerbla(false, -info, rout)
	}
	return C.float(s)
}

//export cblas_sasum
func cblas_sasum(n C.int, x *C.float, incX C.int) (r C.float) {
	const rout = "cblas_sasum\x00"
	defer guard(rout)
	forkCheck()
	count(7)
	s, info := sasum(int(n), fp(x), int(incX))
	if info != 0 {
		cblasXerbla(false, -info, rout)
	}
	return C.float(s)
}

//export cblas_isamax
func cblas_isamax(n C.int, x *C.float, incX C.int) (r C.size_t) {
	const rout = "cblas_isamax\x00"
	defer guard(rout)
	forkCheck()
	count(8)
	i, info := isamax(int(n), fp(x), int(incX))
	if info != 0 {
		cblasXerbla(false, -info, rout)
	}
	if i > 0 {
		i-- // CBLAS counts from 0
	}
	return C.size_t(i)
}

//export cblas_scopy
func cblas_scopy(n C.int, x *C.float, incX C.int, y *C.float, incY C.int) {
	const rout = "cblas_scopy\x00"
	defer guard(rout)
	forkCheck()
	count(9)
	if info := scopy(int(n), fp(x), int(incX), fp(y), int(incY)); info != 0 {
		cblasXerbla(false, -info, rout)
	}
}

//export cblas_sswap
func cblas_sswap(n C.int, x *C.float, incX C.int, y *C.float, incY C.int) {
	const rout = "cblas_sswap\x00"
	defer guard(rout)
	forkCheck()
	count(10)
	if info := sswap(int(n), fp(x), int(incX), fp(y), int(incY)); info != 0 {
		cblasXerbla(false, -info, rout)
	}
}

// ---- Fortran BLAS (gfortran's ABI) ----

// The scalar arguments come by pointer; a NULL one is reported as a bad
// argument at its position, in argument order, before anything is read.

// scalarNil returns the position of the first NULL among ps (array
// arguments, checked later and only if touched, are passed as arr), or 0.
func scalarNil(ps ...unsafe.Pointer) int {
	for i, p := range ps {
		if p == nil {
			return i + 1
		}
	}
	return 0
}

var arrSentinel byte

// arr stands for an array argument in scalarNil's list.
var arr = unsafe.Pointer(&arrSentinel)

func up[T any](p *T) unsafe.Pointer { return unsafe.Pointer(p) }

//export sgemm_
func sgemm_(transA, transB *C.char, m, n, k *C.int, alpha *C.float, a *C.float, lda *C.int,
	b *C.float, ldb *C.int, beta *C.float, c *C.float, ldc *C.int, lenA, lenB C.size_t) {
	const name = "SGEMM \x00"
	defer guard(name)
	forkCheck()
	count(11)
	if p := scalarNil(up(transA), up(transB), up(m), up(n), up(k), up(alpha), arr, up(lda),
		arr, up(ldb), up(beta), arr, up(ldc)); p != 0 {
		xerbla(name, p)
		return
	}
	if info := sgemm(byte(*transA), byte(*transB), int(*m), int(*n), int(*k), float32(*alpha), fp(a), int(*lda),
		fp(b), int(*ldb), float32(*beta), fp(c), int(*ldc)); info != 0 {
		xerbla(name, info)
	}
}

//export sgemv_
func sgemv_(trans *C.char, m, n *C.int, alpha *C.float, a *C.float, lda *C.int,
	x *C.float, incX *C.int, beta *C.float, y *C.float, incY *C.int, lenT C.size_t) {
	const name = "SGEMV \x00"
	defer guard(name)
	forkCheck()
	count(12)
	if p := scalarNil(up(trans), up(m), up(n), up(alpha), arr, up(lda), arr, up(incX), up(beta), arr, up(incY)); p != 0 {
		xerbla(name, p)
		return
	}
	if info := sgemv(byte(*trans), int(*m), int(*n), float32(*alpha), fp(a), int(*lda), fp(x), int(*incX),
		float32(*beta), fp(y), int(*incY)); info != 0 {
		xerbla(name, info)
	}
}

//export sger_
func sger_(m, n *C.int, alpha *C.float, x *C.float, incX *C.int, y *C.float, incY *C.int, a *C.float, lda *C.int) {
	const name = "SGER  \x00"
	defer guard(name)
	forkCheck()
	count(13)
	if p := scalarNil(up(m), up(n), up(alpha), arr, up(incX), arr, up(incY), arr, up(lda)); p != 0 {
		xerbla(name, p)
		return
	}
	if info := sger(int(*m), int(*n), float32(*alpha), fp(x), int(*incX), fp(y), int(*incY), fp(a), int(*lda)); info != 0 {
		xerbla(name, info)
	}
}

//export saxpy_
func saxpy_(n *C.int, alpha *C.float, x *C.float, incX *C.int, y *C.float, incY *C.int) {
	const name = "SAXPY \x00"
	defer guard(name)
	forkCheck()
	count(14)
	if p := scalarNil(up(n), up(alpha), arr, up(incX), arr, up(incY)); p != 0 {
		xerbla(name, p)
		return
	}
	if info := saxpy(int(*n), float32(*alpha), fp(x), int(*incX), fp(y), int(*incY)); info != 0 {
		xerbla(name, info)
	}
}

//export sdot_
func sdot_(n *C.int, x *C.float, incX *C.int, y *C.float, incY *C.int) (r C.float) {
	const name = "SDOT  \x00"
	defer guard(name)
	forkCheck()
	count(15)
	if p := scalarNil(up(n), arr, up(incX), arr, up(incY)); p != 0 {
		xerbla(name, p)
		return 0
	}
	s, info := sdot(int(*n), fp(x), int(*incX), fp(y), int(*incY))
	if info != 0 {
		xerbla(name, info)
	}
	return C.float(s)
}

//export sscal_
func sscal_(n *C.int, alpha *C.float, x *C.float, incX *C.int) {
	const name = "SSCAL \x00"
	defer guard(name)
	forkCheck()
	count(16)
	if p := scalarNil(up(n), up(alpha), arr, up(incX)); p != 0 {
		xerbla(name, p)
		return
	}
	if info := sscal(int(*n), float32(*alpha), fp(x), int(*incX)); info != 0 {
		xerbla(name, info)
	}
}

//export snrm2_
func snrm2_(n *C.int, x *C.float, incX *C.int) (r C.float) {
	const name = "SNRM2 \x00"
	defer guard(name)
	forkCheck()
	count(17)
	if p := scalarNil(up(n), arr, up(incX)); p != 0 {
		xerbla(name, p)
		return 0
	}
	s, info := snrm2(int(*n), fp(x), int(*incX))
	if info != 0 {
		xerbla(name, info)
	}
	return C.float(s)
}

//export sasum_
func sasum_(n *C.int, x *C.float, incX *C.int) (r C.float) {
	const name = "SASUM \x00"
	defer guard(name)
	forkCheck()
	count(18)
	if p := scalarNil(up(n), arr, up(incX)); p != 0 {
		xerbla(name, p)
		return 0
	}
	s, info := sasum(int(*n), fp(x), int(*incX))
	if info != 0 {
		xerbla(name, info)
	}
	return C.float(s)
}

//export isamax_
func isamax_(n *C.int, x *C.float, incX *C.int) (r C.int) {
	const name = "ISAMAX\x00"
	defer guard(name)
	forkCheck()
	count(19)
	if p := scalarNil(up(n), arr, up(incX)); p != 0 {
		xerbla(name, p)
		return 0
	}
	i, info := isamax(int(*n), fp(x), int(*incX))
	if info != 0 {
		xerbla(name, info)
	}
	return C.int(i)
}

//export scopy_
func scopy_(n *C.int, x *C.float, incX *C.int, y *C.float, incY *C.int) {
	const name = "SCOPY \x00"
	defer guard(name)
	forkCheck()
	count(20)
	if p := scalarNil(up(n), arr, up(incX), arr, up(incY)); p != 0 {
		xerbla(name, p)
		return
	}
	if info := scopy(int(*n), fp(x), int(*incX), fp(y), int(*incY)); info != 0 {
		xerbla(name, info)
	}
}

//export sswap_
func sswap_(n *C.int, x *C.float, incX *C.int, y *C.float, incY *C.int) {
	const name = "SSWAP \x00"
	defer guard(name)
	forkCheck()
	count(21)
	if p := scalarNil(up(n), arr, up(incX), arr, up(incY)); p != 0 {
		xerbla(name, p)
		return
	}
	if info := sswap(int(*n), fp(x), int(*incX), fp(y), int(*incY)); info != 0 {
		xerbla(name, info)
	}
}

// ---- deltacore's own ----

//export deltacore_sigmoid
func deltacore_sigmoid(dst *C.float, z *C.float, n C.ptrdiff_t) (r C.int) {
	defer guard("deltacore_sigmoid")
	forkCheck()
	r = 1 // what a recovered panic returns
	return C.int(elementwise(fp(dst), fp(z), int(n), deltacore.Sigmoid))
}

//export deltacore_sigmoid_prime
func deltacore_sigmoid_prime(dst *C.float, z *C.float, n C.ptrdiff_t) (r C.int) {
	defer guard("deltacore_sigmoid_prime")
	forkCheck()
	r = 1
	return C.int(elementwise(fp(dst), fp(z), int(n), deltacore.SigmoidPrime))
}

//export deltacore_mul_sigmoid_prime
func deltacore_mul_sigmoid_prime(delta *C.float, z *C.float, n C.ptrdiff_t) (r C.int) {
	defer guard("deltacore_mul_sigmoid_prime")
	forkCheck()
	r = 1
	return C.int(elementwise(fp(delta), fp(z), int(n), deltacore.MulSigmoidPrime))
}

//export deltacore_dense_forward
func deltacore_dense_forward(m, n, k C.int, x *C.float, ldx C.int, w *C.float, ldw C.int, bias *C.float,
	z *C.float, ldz C.int, act *C.float, ldact C.int) (r C.int) {
	defer guard("deltacore_dense_forward")
	forkCheck()
	r = 1
	return C.int(denseForward(int(m), int(n), int(k), fp(x), int(ldx), fp(w), int(ldw), fp(bias),
		fp(z), int(ldz), fp(act), int(ldact)))
}

//export deltacore_dense_backward
func deltacore_dense_backward(m, n, nn C.int, dnext *C.float, lddn C.int, w *C.float, ldw C.int,
	z *C.float, ldz C.int, d *C.float, ldd C.int) (r C.int) {
	defer guard("deltacore_dense_backward")
	forkCheck()
	r = 1
	return C.int(denseBackward(int(m), int(n), int(nn), fp(dnext), int(lddn), fp(w), int(ldw),
		fp(z), int(ldz), fp(d), int(ldd)))
}

//export deltacore_level
func deltacore_level() C.int {
	return C.int(deltacore.CurrentLevel())
}

//export deltacore_set_level
func deltacore_set_level(level C.int) (r C.int) {
	defer guard("deltacore_set_level")
	forkCheck()
	r = -2
	return C.int(setLevel(int(level)))
}
