//go:build openblas && cgo

package bench

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "unsafe"

// With the openblas tag, OpenBLAS joins the peers, pinned to one thread
// (benchmarks that compare threads set it themselves).
func init() {
	C.openblas_set_num_threads(1)
	AddPeer(Peer{Name: "openblas", Sgemm: openblasSgemm, Sgemv: openblasSgemv, SetThreads: setOpenBLASThreads})
}

// setOpenBLASThreads sets OpenBLAS's thread count.
func setOpenBLASThreads(n int) { C.openblas_set_num_threads(C.int(n)) }

func cblasTrans(t byte) C.enum_CBLAS_TRANSPOSE {
	if t == 'T' {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}

// openblasSgemm calls cblas_sgemm in row-major order. The slices must be
// non-empty.
func openblasSgemm(tA, tB byte, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	C.cblas_sgemm(C.CblasRowMajor, cblasTrans(tA), cblasTrans(tB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.float(alpha), (*C.float)(unsafe.Pointer(&a[0])), C.blasint(lda),
		(*C.float)(unsafe.Pointer(&b[0])), C.blasint(ldb), C.float(beta),
		(*C.float)(unsafe.Pointer(&c[0])), C.blasint(ldc))
}

// openblasSgemv calls cblas_sgemv in row-major order. The slices must be
// non-empty.
func openblasSgemv(tA byte, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	C.cblas_sgemv(C.CblasRowMajor, cblasTrans(tA), C.blasint(m), C.blasint(n),
		C.float(alpha), (*C.float)(unsafe.Pointer(&a[0])), C.blasint(lda),
		(*C.float)(unsafe.Pointer(&x[0])), C.blasint(incX), C.float(beta),
		(*C.float)(unsafe.Pointer(&y[0])), C.blasint(incY))
}
