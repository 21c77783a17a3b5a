package study

import (
	"math"
	"testing"
)

func TestExplodingChain(t *testing.T) {
	fs, grad := ExplodingChain(100).Factors()
	for _, f := range fs {
		if f.Name[0] == 'w' && f.Value != 100 {
			t.Errorf("%s = %g, want 100", f.Name, f.Value)
		}
		if f.Name[0] != 'w' && f.Name != "∂C/∂a4" && f.Value != 0.25 {
			t.Errorf("%s = %g, want σ′(0) = 0.25", f.Name, f.Value)
		}
	}
	last := fs[len(fs)-1]
	// ∂C/∂b₁ = σ′(0)·(100·σ′(0))³·(σ(0) − 0) = 0.25 · 25³ · 0.5.
	want := 0.25 * 25 * 25 * 25 * 0.5
	if math.Abs(last.Product-want) > 1e-9*want || math.Abs(grad-want) > 1e-9*want {
		t.Errorf("∂C/∂b₁: product %g, backprop %g, want %g", last.Product, grad, want)
	}
}

func TestChainMatchesFiniteDifference(t *testing.T) {
	c := Chain{W: [4]float64{0.7, -1.3, 2.1, 0.4}, B: [4]float64{0.1, -0.5, 0.3, 1.2}, X: 0.8, Y: 0.2}
	cost := func(c Chain) float64 {
		a := c.X
		for j := 0; j < 4; j++ {
			a = 1 / (1 + math.Exp(-(c.W[j]*a + c.B[j])))
		}
		return (a - c.Y) * (a - c.Y) / 2
	}
	h := 1e-6
	cp, cm := c, c
	cp.B[0] += h
	cm.B[0] -= h
	fd := (cost(cp) - cost(cm)) / (2 * h)
	fs, grad := c.Factors()
	if math.Abs(grad-fd) > 1e-8 || math.Abs(fs[len(fs)-1].Product-fd) > 1e-8 {
		t.Fatalf("∂C/∂b₁: backprop %g, factors %g, finite difference %g", grad, fs[len(fs)-1].Product, fd)
	}
}

func TestUnstableWidth(t *testing.T) {
	w, width := MaxUnstableWidth()
	// Nielsen: the width is at most ≈0.45, reached at |w| ≈ 6.9.
	if math.Abs(w-6.9) > 0.1 || math.Abs(width-0.45) > 0.01 {
		t.Fatalf("max width %g at |w| = %g, want ≈0.45 at ≈6.9", width, w)
	}
	if UnstableWidth(4) != 0 || UnstableWidth(-3) != 0 {
		t.Fatal("width must be 0 for |w| ≤ 4")
	}
	// Check against the definition by brute force: fraction of a grid of a
	// where |w σ′(w a + b)| ≥ 1.
	for _, w := range []float64{5, 6.9, 10, -20} {
		b := 0.37
		n, step := 0, 1e-5
		for a := -3.0; a < 3; a += step {
			if math.Abs(w*sigmoidPrime64(w*a+b)) >= 1 {
				n++
			}
		}
		if got := float64(n) * step; math.Abs(got-UnstableWidth(w)) > 1e-4 {
			t.Errorf("w=%g: brute-force width %g, formula %g", w, got, UnstableWidth(w))
		}
	}
	// Nielsen's closed form agrees.
	for _, w := range []float64{4.5, 6.9, 50} {
		r := math.Sqrt(1 - 4/w)
		book := 2 / w * math.Log(w*(1+r)/2-1)
		if math.Abs(book-UnstableWidth(w)) > 1e-12 {
			t.Errorf("w=%g: %g vs book's form %g", w, UnstableWidth(w), book)
		}
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{5, 1, 4, 2, 3, math.NaN()}
	if q := Quantile(xs, 0.5); q != 3 {
		t.Errorf("median %g", q)
	}
	if q := Quantile(xs, 0.05); math.Abs(q-1.2) > 1e-12 {
		t.Errorf("p05 %g", q)
	}
	if q := Quantile(xs, 1); q != 5 {
		t.Errorf("max %g", q)
	}
	if !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("empty quantile not NaN")
	}
}
