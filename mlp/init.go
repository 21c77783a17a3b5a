package mlp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// An Initializer sets one layer's weights w (nOut × nIn, row-major) and
// biases b (nOut) from r. Implementations must draw from r only, so that a
// seed determines the result.
type Initializer interface {
	InitLayer(r *rand.Rand, w, b []float32, nIn, nOut int)
	String() string
}

// The built-in initialisers. Biases are N(0, 1) for NielsenDefault and
// Large (as in the book), zero for the others.
var (
	// NielsenDefault: wᵢⱼ ~ N(0, 1)/√nᵢₙ, b ~ N(0, 1) (the book's
	// default_weight_initializer).
	NielsenDefault Initializer = nielsen{}
	// Large: wᵢⱼ ~ N(0, 1), b ~ N(0, 1) (the book's
	// large_weight_initializer).
	Large Initializer = large{}
	// GlorotStandard: wᵢⱼ ~ U[−1/√nᵢₙ, 1/√nᵢₙ] (Glorot & Bengio 2010, eq. 15).
	GlorotStandard Initializer = glorotStandard{}
	// GlorotNormalized: wᵢⱼ ~ U[±√6/√(nᵢₙ+nₒᵤₜ)] (Glorot & Bengio 2010,
	// eq. 16).
	GlorotNormalized Initializer = glorotNormalized{}
	// Sparse: exactly min(15, nᵢₙ) non-zero incoming weights per unit, each
	// N(0, 1), at positions drawn without replacement (Martens 2010, as used
	// by Sutskever et al. 2013).
	Sparse Initializer = sparse{k: 15}
)

// MeanField returns the initialiser of the mean-field papers (Poole et al.
// 2016, Schoenholz et al. 2017): wᵢⱼ ~ N(0, σ_w²/nᵢₙ), bⱼ ~ N(0, σ_b²), set
// by the two variances sigmaW2 = σ_w² and sigmaB2 = σ_b² (both ≥ 0). With
// NielsenDefault's N(0, 1/nᵢₙ), N(0, 1) it shares (σ_w², σ_b²) = (1, 1).
func MeanField(sigmaW2, sigmaB2 float64) Initializer {
	return meanField{sw2: sigmaW2, sb2: sigmaB2}
}

type meanField struct{ sw2, sb2 float64 }

func (f meanField) String() string {
	return "meanfield:" + strconv.FormatFloat(f.sw2, 'g', -1, 64) + "," + strconv.FormatFloat(f.sb2, 'g', -1, 64)
}

func (f meanField) InitLayer(r *rand.Rand, w, b []float32, nIn, nOut int) {
	s := math.Sqrt(f.sw2 / float64(nIn))
	for i := range w {
		w[i] = float32(r.NormFloat64() * s)
	}
	sb := math.Sqrt(f.sb2)
	for i := range b {
		b[i] = float32(r.NormFloat64() * sb)
	}
}

// Orthogonal returns the initialiser w = gain·Q, Q a random (semi-)orthogonal
// nOut × nIn matrix, uniformly (Haar) distributed: orthonormal rows when
// nOut ≤ nIn, orthonormal columns otherwise (Saxe et al. 2014). Q comes from
// a Gaussian matrix by Gram–Schmidt in float64, run twice for accuracy.
// Biases are zero.
func Orthogonal(gain float64) Initializer { return orthogonal{gain: gain} }

// ParseInitializer returns the initialiser with the given name: "nielsen"
// (also "default"), "large", "glorot" (also "glorot-standard"),
// "glorot-normalized" (also "glorot-normalised", "xavier"), "sparse", or
// "orthogonal" with an optional gain, "orthogonal:1.1", or
// "meanfield:σ_w²,σ_b²", for example "meanfield:1.76,0.05" (MeanField).
func ParseInitializer(s string) (Initializer, error) {
	switch s {
	case "nielsen", "default":
		return NielsenDefault, nil
	case "large":
		return Large, nil
	case "glorot", "glorot-standard":
		return GlorotStandard, nil
	case "glorot-normalized", "glorot-normalised", "xavier":
		return GlorotNormalized, nil
	case "sparse":
		return Sparse, nil
	case "orthogonal":
		return Orthogonal(1), nil
	}
	if v, ok := strings.CutPrefix(s, "meanfield:"); ok {
		a, b, ok := strings.Cut(v, ",")
		sw2, err1 := strconv.ParseFloat(a, 64)
		sb2, err2 := strconv.ParseFloat(b, 64)
		if !ok || err1 != nil || err2 != nil || !(sw2 >= 0) || !(sb2 >= 0) || math.IsInf(sw2, 0) || math.IsInf(sb2, 0) {
			return nil, fmt.Errorf("mlp: bad mean-field variances %q (want meanfield:σw²,σb², both ≥ 0)", v)
		}
		return MeanField(sw2, sb2), nil
	}
	if g, ok := strings.CutPrefix(s, "orthogonal:"); ok {
		gain, err := strconv.ParseFloat(g, 64)
		if err != nil || math.IsNaN(gain) || math.IsInf(gain, 0) {
			return nil, fmt.Errorf("mlp: bad orthogonal gain %q", g)
		}
		return Orthogonal(gain), nil
	}
	return nil, fmt.Errorf("mlp: unknown initializer %q (want nielsen, large, glorot, glorot-normalized, sparse, orthogonal[:gain], meanfield:σw²,σb²)", s)
}

// NewRand returns the generator Init draws from for a seed: PCG seeded with
// (seed, a fixed constant). The trainer's shuffle uses ShuffleRand instead.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x64656c7461636f72)) // "deltacor"
}

// ShuffleRand returns the generator a Trainer shuffles with for SGD.Seed:
// PCG seeded with (seed, another fixed constant), a stream of its own. A
// program may pass one seed to Init and to SGD.Seed; the weights and the
// order of the samples then still come from independent draws, not from the
// same random words.
func ShuffleRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x73687566666c6521)) // "shuffle!"
}

// Init sets every weight and bias of the network with init, layer 1 first,
// all drawn from one generator seeded with seed: the same seed gives the
// same parameters, bit for bit, on every machine.
func (n *Network) Init(init Initializer, seed uint64) {
	n.InitRand(init, NewRand(seed))
}

// InitRand is Init with a caller's generator.
func (n *Network) InitRand(init Initializer, r *rand.Rand) {
	for l := 1; l <= n.Layers(); l++ {
		init.InitLayer(r, n.w[l], n.b[l], n.cfg.Sizes[l-1], n.cfg.Sizes[l])
	}
}

type nielsen struct{}

func (nielsen) String() string { return "nielsen" }
func (nielsen) InitLayer(r *rand.Rand, w, b []float32, nIn, nOut int) {
	s := 1 / math.Sqrt(float64(nIn))
	for i := range w {
		w[i] = float32(r.NormFloat64() * s)
	}
	for i := range b {
		b[i] = float32(r.NormFloat64())
	}
}

type large struct{}

func (large) String() string { return "large" }
func (large) InitLayer(r *rand.Rand, w, b []float32, nIn, nOut int) {
	for i := range w {
		w[i] = float32(r.NormFloat64())
	}
	for i := range b {
		b[i] = float32(r.NormFloat64())
	}
}

func uniform(r *rand.Rand, w []float32, lim float64) {
	for i := range w {
		w[i] = float32((2*r.Float64() - 1) * lim)
	}
}

type glorotStandard struct{}

func (glorotStandard) String() string { return "glorot" }
func (glorotStandard) InitLayer(r *rand.Rand, w, b []float32, nIn, nOut int) {
	uniform(r, w, 1/math.Sqrt(float64(nIn)))
	clear(b)
}

type glorotNormalized struct{}

func (glorotNormalized) String() string { return "glorot-normalized" }
func (glorotNormalized) InitLayer(r *rand.Rand, w, b []float32, nIn, nOut int) {
	uniform(r, w, math.Sqrt(6)/math.Sqrt(float64(nIn+nOut)))
	clear(b)
}

type sparse struct{ k int }

func (s sparse) String() string { return "sparse" }
func (s sparse) InitLayer(r *rand.Rand, w, b []float32, nIn, nOut int) {
	clear(w)
	clear(b)
	k := min(s.k, nIn)
	for j := 0; j < nOut; j++ {
		row := w[j*nIn : (j+1)*nIn]
		// Floyd's algorithm: k distinct positions in [0, nIn) without an
		// index buffer; a zero weight marks a free position (N(0, 1) gives
		// exactly 0 with probability 0, but redraw it to be sure).
		for t := nIn - k; t < nIn; t++ {
			p := r.IntN(t + 1)
			if row[p] != 0 {
				p = t
			}
			v := float32(r.NormFloat64())
			for v == 0 {
				v = float32(r.NormFloat64())
			}
			row[p] = v
		}
	}
}

type orthogonal struct{ gain float64 }

func (o orthogonal) String() string {
	return "orthogonal:" + strconv.FormatFloat(o.gain, 'g', -1, 64)
}

func (o orthogonal) InitLayer(r *rand.Rand, w, b []float32, nIn, nOut int) {
	clear(b)
	// Orthonormalise the rows of a short-and-wide Gaussian matrix q
	// (rows ≤ cols), then store it or its transpose.
	rows, cols := nOut, nIn
	if nOut > nIn {
		rows, cols = nIn, nOut
	}
	q := make([]float64, rows*cols)
	for i := range q {
		q[i] = r.NormFloat64()
	}
	for i := 0; i < rows; i++ {
		qi := q[i*cols : (i+1)*cols]
		for pass := 0; pass < 2; pass++ {
			for j := 0; j < i; j++ {
				qj := q[j*cols : (j+1)*cols]
				var d float64
				for k := range qi {
					d += qi[k] * qj[k]
				}
				for k := range qi {
					qi[k] -= d * qj[k]
				}
			}
		}
		var s float64
		for _, v := range qi {
			s += v * v
		}
		s = 1 / math.Sqrt(s)
		for k := range qi {
			qi[k] *= s
		}
	}
	if nOut <= nIn {
		for i, v := range q {
			w[i] = float32(o.gain * v)
		}
		return
	}
	// q is nIn × nOut; w = gain·qᵀ.
	for i := 0; i < nIn; i++ {
		for j := 0; j < nOut; j++ {
			w[j*nIn+i] = float32(o.gain * q[i*nOut+j])
		}
	}
}
