package main

import (
	"unsafe"

	"github.com/deltacore/deltacore"
)

// deltacore's own functions. Each returns 0, or the 1-based position of the
// first bad argument (a negative size, a stride too small, a NULL operand
// that would be touched, or an output that overlaps an input where deltacore
// forbids it), and then does nothing. They never print and never abort.

// region is the address range [lo, hi) of n floats at p.
type region struct{ lo, hi uintptr }

func regionOf(p *float32, n int) region {
	if p == nil {
		return region{}
	}
	lo := uintptr(unsafe.Pointer(p))
	return region{lo, lo + uintptr(max(n, 0))*4}
}

func (r region) overlaps(s region) bool {
	return r.lo < r.hi && s.lo < s.hi && r.lo < s.hi && s.lo < r.hi
}

// rowLen is the number of floats a row-major rows×cols matrix with row
// stride ld spans.
func rowLen(rows, cols, ld int) int { return matLen(cols, rows, ld) }

// elementwise checks the arguments of Sigmoid, SigmoidPrime and
// MulSigmoidPrime: out (argument 1) may be in (argument 2) but must not
// otherwise overlap it.
func elementwise(out, in *float32, n int, f func(out, in []float32)) int {
	switch {
	case n < 0:
		return 3
	case n == 0:
		return 0
	case out == nil:
		return 1
	case in == nil:
		return 2
	case out != in && regionOf(out, n).overlaps(regionOf(in, n)):
		return 1
	}
	f(unsafe.Slice(out, n), unsafe.Slice(in, n))
	return 0
}

// denseForward checks and runs deltacore.DenseForward (row-major):
// m 1, n 2, k 3, x 4, ldx 5, w 6, ldw 7, bias 8, z 9, ldz 10, act 11, ldact 12.
func denseForward(m, n, k int, x *float32, ldx int, w *float32, ldw int, bias *float32,
	z *float32, ldz int, act *float32, ldact int) int {
	switch {
	case m < 0:
		return 1
	case n < 0:
		return 2
	case k < 0:
		return 3
	case ldx < max(1, k):
		return 5
	case ldw < max(1, k):
		return 7
	case ldz < max(1, n):
		return 10
	case act != nil && ldact < max(1, n):
		return 12
	}
	if m == 0 || n == 0 {
		return 0
	}
	lx, lw, lz, la := rowLen(m, k, ldx), rowLen(n, k, ldw), rowLen(m, n, ldz), rowLen(m, n, ldact)
	switch {
	case k > 0 && x == nil:
		return 4
	case k > 0 && w == nil:
		return 6
	case z == nil:
		return 9
	}
	rz := regionOf(z, lz)
	if rz.overlaps(regionOf(x, lx)) || rz.overlaps(regionOf(w, lw)) || rz.overlaps(regionOf(bias, n)) {
		return 9
	}
	var acts []float32
	if act != nil {
		ra := regionOf(act, la)
		if ra.overlaps(regionOf(x, lx)) || ra.overlaps(regionOf(w, lw)) || ra.overlaps(regionOf(bias, n)) || ra.overlaps(rz) {
			return 11
		}
		acts = unsafe.Slice(act, la)
	}
	var biases []float32
	if bias != nil {
		biases = unsafe.Slice(bias, n)
	}
	deltacore.DenseForward(m, n, k, floats(x, lx), ldx, floats(w, lw), ldw, biases,
		unsafe.Slice(z, lz), ldz, acts, ldact)
	return 0
}

// denseBackward checks and runs deltacore.DenseBackward (row-major):
// m 1, n 2, nn 3, dnext 4, lddn 5, w 6, ldw 7, z 8, ldz 9, d 10, ldd 11.
// d may be z (the same pointer with ldd == ldz).
func denseBackward(m, n, nn int, dnext *float32, lddn int, w *float32, ldw int,
	z *float32, ldz int, d *float32, ldd int) int {
	switch {
	case m < 0:
		return 1
	case n < 0:
		return 2
	case nn < 0:
		return 3
	case lddn < max(1, nn):
		return 5
	case ldw < max(1, n):
		return 7
	case ldz < max(1, n):
		return 9
	case ldd < max(1, n):
		return 11
	}
	if m == 0 || n == 0 {
		return 0
	}
	ldn, lw, lz, ld := rowLen(m, nn, lddn), rowLen(nn, n, ldw), rowLen(m, n, ldz), rowLen(m, n, ldd)
	switch {
	case nn > 0 && dnext == nil:
		return 4
	case nn > 0 && w == nil:
		return 6
	case z == nil:
		return 8
	case d == nil:
		return 10
	}
	rd := regionOf(d, ld)
	if rd.overlaps(regionOf(dnext, ldn)) || rd.overlaps(regionOf(w, lw)) {
		return 10
	}
	if d == z {
		if ldd != ldz {
			return 11
		}
	} else if rd.overlaps(regionOf(z, lz)) {
		return 10
	}
	deltacore.DenseBackward(m, n, nn, floats(dnext, ldn), lddn, floats(w, lw), ldw,
		unsafe.Slice(z, lz), ldz, unsafe.Slice(d, ld), ldd)
	return 0
}

// setLevel returns 0, −1 for a number that is no level, −2 for a level this
// CPU or build cannot run.
func setLevel(l int) int {
	if l < 0 || l > int(deltacore.NEON) || deltacore.Level(l).String() == "" {
		return -1
	}
	if deltacore.SetLevel(deltacore.Level(l)) != nil {
		return -2
	}
	return 0
}
