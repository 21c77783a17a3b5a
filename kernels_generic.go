package deltacore

import "math"

// This file holds the pure-Go kernels. They are built on every platform: they
// are the fallback (level Generic, the purego build, other GOARCHes), they
// finish the tails that assembly kernels leave, and they are the readable
// specification of what each assembly kernel computes.

// genericTable is the kernel table of level Generic.
var genericTable = kernelTable{
	level:           Generic,
	sigmoid:         sigmoidGeneric,
	sigmoidPrime:    sigmoidPrimeGeneric,
	mulSigmoidPrime: mulSigmoidPrimeGeneric,
	tanh:            tanhGeneric,
	tanhPrime:       tanhPrimeGeneric,
	mulTanhPrime:    mulTanhPrimeGeneric,
	axpy:            axpyGeneric,
	scal:            scalGeneric,
	dot:             dotGeneric,
	sumSquares:      sumSquaresGeneric,
	colSums:         colSumsGeneric,
	gemvN:           gemvNGeneric,
	gemvT:           gemvTGeneric,
}

// sigmoid64 returns σ(z) for a float32 z, computed in float64 from
// t = e^(−|z|) ∈ (0, 1], so nothing overflows: σ(|z|) = 1/(1+t) and
// σ(−|z|) = t/(1+t). The float64 result is within a few float64 ULP of the
// exact value; rounding it to float32 adds at most half a float32 ULP.
func sigmoid64(z float32) float64 {
	x := float64(z)
	t := math.Exp(-math.Abs(x)) // NaN stays NaN
	if x >= 0 {
		return 1 / (1 + t)
	}
	return t / (1 + t)
}

// sigmoidPrime64 returns σ′(z) = e^(−|z|)/(1+e^(−|z|))² in float64.
func sigmoidPrime64(z float32) float64 {
	t := math.Exp(-math.Abs(float64(z)))
	d := 1 + t
	return t / (d * d)
}

// sigmoidGeneric sets dst[i] = σ(z[i]) for i < len(z).
func sigmoidGeneric(dst, z []float32) {
	dst = dst[:len(z)]
	for i, v := range z {
		dst[i] = float32(sigmoid64(v))
	}
}

// sigmoidPrimeGeneric sets dst[i] = σ′(z[i]) for i < len(z).
func sigmoidPrimeGeneric(dst, z []float32) {
	dst = dst[:len(z)]
	for i, v := range z {
		dst[i] = float32(sigmoidPrime64(v))
	}
}

// mulSigmoidPrimeGeneric sets delta[i] *= σ′(z[i]) for i < len(z).
func mulSigmoidPrimeGeneric(delta, z []float32) {
	delta = delta[:len(z)]
	for i, v := range z {
		delta[i] *= float32(sigmoidPrime64(v))
	}
}

// tanhPrime64 returns tanh′(z) = 4σ′(2z) = 4t/(1+t)² with t = e^(−2|z|), in
// float64.
func tanhPrime64(z float32) float64 {
	t := math.Exp(-2 * math.Abs(float64(z)))
	d := 1 + t
	return 4 * t / (d * d)
}

// tanhGeneric sets dst[i] = tanh(z[i]) for i < len(z).
func tanhGeneric(dst, z []float32) {
	dst = dst[:len(z)]
	for i, v := range z {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

// tanhPrimeGeneric sets dst[i] = tanh′(z[i]) for i < len(z).
func tanhPrimeGeneric(dst, z []float32) {
	dst = dst[:len(z)]
	for i, v := range z {
		dst[i] = float32(tanhPrime64(v))
	}
}

// mulTanhPrimeGeneric sets delta[i] *= tanh′(z[i]) for i < len(z).
func mulTanhPrimeGeneric(delta, z []float32) {
	delta = delta[:len(z)]
	for i, v := range z {
		delta[i] *= float32(tanhPrime64(v))
	}
}

// axpyGeneric sets y[i] += alpha*x[i] for i < len(x).
func axpyGeneric(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// scalGeneric sets x[i] *= alpha for i < len(x).
func scalGeneric(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

// dotGeneric returns Σ x[i]*y[i] for i < len(x), in float32, with four
// interleaved partial sums.
func dotGeneric(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sumSquaresGeneric returns Σ x[i]² accumulated in float64.
func sumSquaresGeneric(x []float32) float64 {
	var s0, s1 float64
	i := 0
	for ; i+2 <= len(x); i += 2 {
		a, b := float64(x[i]), float64(x[i+1])
		s0 += a * a
		s1 += b * b
	}
	if i < len(x) {
		a := float64(x[i])
		s0 += a * a
	}
	return s0 + s1
}

// colSumsGeneric sets dst[j] = Σ_i a[i*lda+j], summing over i in order.
func colSumsGeneric(dst, a []float32, rows, cols, lda int) {
	dst = dst[:cols]
	copy(dst, a[:cols])
	for i := 1; i < rows; i++ {
		row := a[i*lda : i*lda+cols]
		for j, v := range row {
			dst[j] += v
		}
	}
}
