package study

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/deltacore/deltacore/mlp"
)

func TestSpectralNorm(t *testing.T) {
	// Rank one: W = u vᵀ has ‖W D‖₂ = ‖u‖·‖D v‖.
	u := []float64{1, -2, 0.5}
	v := []float64{0.3, 0.1, -0.7, 2}
	d := []float64{0.25, 0.1, 0.2, 0.05}
	w := make([]float32, 12)
	for i := range u {
		for j := range v {
			w[i*4+j] = float32(u[i] * v[j])
		}
	}
	norm := func(x []float64) float64 {
		s := 0.0
		for _, e := range x {
			s += e * e
		}
		return math.Sqrt(s)
	}
	dv := make([]float64, 4)
	for j := range v {
		dv[j] = d[j] * v[j]
	}
	// float32 weights: compare with the float32-rounded product's scale.
	if got, want := SpectralNorm(w, 3, 4, nil, 100), norm(u)*norm(v); math.Abs(got-want) > 1e-6*want {
		t.Errorf("‖W‖₂ = %g, want %g", got, want)
	}
	if got, want := SpectralNorm(w, 3, 4, d, 100), norm(u)*norm(dv); math.Abs(got-want) > 1e-6*want {
		t.Errorf("‖WD‖₂ = %g, want %g", got, want)
	}
	// Diagonal with known singular values.
	diag := []float32{3, 0, 0, 0, -5, 0, 0, 0, 1}
	if got := SpectralNorm(diag, 3, 3, nil, 1000); math.Abs(got-5) > 1e-6 {
		t.Errorf("‖diag(3,−5,1)‖₂ = %g, want 5", got)
	}
}

func TestProbeAgainstFloat64(t *testing.T) {
	sizes := []int{20, 8, 7, 6, 4}
	data := testData(40, 20, 4)
	net, err := mlp.New(mlp.Config{Sizes: sizes})
	if err != nil {
		t.Fatal(err)
	}
	net.Init(fixedInit{}, 0)
	res, err := Probe(net, data, ProbeConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ref := newRefNet(sizes)
	L := len(sizes) - 1
	m := data.Len()
	norms := make([][]float64, L+1)
	mean := make([][]float64, L+1)
	prime := make([]float64, L+1)
	for l := 1; l <= L; l++ {
		mean[l] = make([]float64, sizes[l])
	}
	for s := 0; s < m; s++ {
		a, d := ref.pass(data, s)
		for l := 1; l <= L; l++ {
			ss := 0.0
			for j, v := range d[l] {
				ss += v * v
				mean[l][j] += v / float64(m)
				prime[l] += a[l][j] * (1 - a[l][j]) / float64(m*sizes[l])
			}
			norms[l] = append(norms[l], math.Sqrt(ss))
		}
	}
	close := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Abs(want) {
			t.Errorf("%s = %g, float64 reference %g", what, got, want)
		}
	}
	for l := 1; l <= L; l++ {
		lp := res.Layers[l-1]
		speed := 0.0
		for _, v := range mean[l] {
			speed += v * v
		}
		close("speed", lp.Speed, math.Sqrt(speed), 1e-5)
		slices.Sort(norms[l])
		for i, v := range norms[l] {
			close("‖δ‖ per sample", lp.DeltaNorms[i], v, 1e-5)
		}
		close("mean σ′", lp.MeanPrime, prime[l], 1e-5)
		if l < L {
			if lp.Gain.P95 > lp.Factor.P95*(1+1e-6) || lp.Gain.Median > lp.Factor.P95*(1+1e-6) {
				t.Errorf("layer %d: gain %+v exceeds factor norm %+v", l, *lp.Gain, *lp.Factor)
			}
		}
	}
	p := res.Layers[0].Product
	want := 1.0
	for l := 1; l < L; l++ {
		want *= res.Layers[l-1].Factor.Median
	}
	close("product", p, want, 1e-12)
	dir := t.TempDir()
	paths, err := res.WriteFiles(dir, "probe")
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, filepath.Join(dir, "probe-delta-norms.png"))
	checkPNG(t, filepath.Join(dir, "probe-factors.png"))
	if len(paths) != 4 {
		t.Fatalf("wrote %v", paths)
	}
}
