package mlp

import (
	"math"
	"testing"
)

// refBackward returns δˡ (l = 1 … L) of one sample by the book's equations
// in float64, for cross-entropy against one-hot label c with sigmoid or
// softmax outputs (δᴸ = aᴸ − y) or quadratic cost (δᴸ = (aᴸ − y)⊙f′(zᴸ)).
func (r *refNet) refBackward(x []float64, c int) [][]float64 {
	zs, as := r.forward(x)
	L := len(r.sizes) - 1
	ds := make([][]float64, L+1)
	ds[L] = make([]float64, r.sizes[L])
	for j := range ds[L] {
		y := 0.0
		if j == c {
			y = 1
		}
		ds[L][j] = as[L][j] - y
		if r.cost == Quadratic {
			ds[L][j] *= refPrime(r.output, zs[L][j])
		}
	}
	for l := L - 1; l >= 1; l-- {
		n, nn := r.sizes[l], r.sizes[l+1]
		ds[l] = make([]float64, n)
		for k := 0; k < n; k++ {
			s := 0.0
			for j := 0; j < nn; j++ {
				s += ds[l+1][j] * r.w[l+1][j*n+k]
			}
			ds[l][k] = s * refPrime(r.hidden, zs[l][k])
		}
	}
	return ds
}

func refPrime(f Activation, z float64) float64 {
	switch f {
	case Sigmoid:
		s := 1 / (1 + math.Exp(-z))
		return s * (1 - s)
	case Tanh:
		c := math.Cosh(z)
		return 1 / (c * c)
	case ReLU:
		if z > 0 {
			return 1
		}
		return 0
	}
	panic("bad activation")
}

// TestDeepDelta: a 120-hidden-layer Nielsen network [784, 30×120, 10]
// (sigmoid, default initialisation), whose δ¹ is far below float32's range,
// has every ‖δˡ‖ and every speed ‖∂C/∂bˡ‖ within 1e-4 of a plain float64
// backward pass, with the scales applied. Without the scales (noRescale)
// δ is 0 at the bottom, which the test also checks, so it can fail.
func TestDeepDelta(t *testing.T) {
	sizes := []int{784}
	for range 120 {
		sizes = append(sizes, 30)
	}
	sizes = append(sizes, 10)
	net, err := New(Config{Sizes: sizes})
	if err != nil {
		t.Fatal(err)
	}
	net.Init(NielsenDefault, 18)
	const m = 3
	r := NewRand(7)
	x, xs := randMatrix(r, m, 784, 0, 1)
	labels := []int{3, 7, 1}
	ws, err := NewWorkspace(net, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Forward(x); err != nil {
		t.Fatal(err)
	}
	if err := ws.BackwardLabels(labels); err != nil {
		t.Fatal(err)
	}
	ref := refFrom(net)
	L := net.Layers()
	want := make([]float64, L+1)  // ‖δˡ‖ over the batch
	speed := make([]float64, L+1) // ‖mean δˡ‖
	for l := 1; l <= L; l++ {
		speed[l] = 0
	}
	mean := make([][]float64, L+1)
	for l := 1; l <= L; l++ {
		mean[l] = make([]float64, sizes[l])
	}
	for i := range m {
		ds := ref.refBackward(xs[i], labels[i])
		for l := 1; l <= L; l++ {
			for j, v := range ds[l] {
				want[l] += v * v
				mean[l][j] += v / m
			}
		}
	}
	for l := 1; l <= L; l++ {
		want[l] = math.Sqrt(want[l])
		for _, v := range mean[l] {
			speed[l] += v * v
		}
		speed[l] = math.Sqrt(speed[l])
	}
	if want[1] > 1e-60 {
		t.Fatalf("reference ‖δ¹‖ = %g: the network is not deep enough to test the scales", want[1])
	}
	scaled := 0
	maxErr := 0.0
	for l := 1; l <= L; l++ {
		got := math.Ldexp(ws.Delta(l).Norm(), ws.DeltaExp(l))
		maxErr = max(maxErr, math.Abs(got/want[l]-1))
		if e := math.Abs(got/want[l] - 1); !(e <= 1e-4) {
			t.Errorf("layer %d: ‖δ‖ = %g, float64 reference %g (relative error %.2g, scale 2^%d)", l, got, want[l], e, ws.DeltaExp(l))
		}
		if e := math.Abs(ws.Speed(l)/speed[l] - 1); !(e <= 1e-4) {
			t.Errorf("layer %d: speed %g, float64 reference %g (relative error %.2g)", l, ws.Speed(l), speed[l], e)
		}
		if e := math.Abs(ws.LogSpeed(l) - math.Log(speed[l])); !(e <= 1e-4) {
			t.Errorf("layer %d: log speed %g, float64 reference %g", l, ws.LogSpeed(l), math.Log(speed[l]))
		}
		if ws.DeltaExp(l) != 0 {
			scaled++
		}
	}
	if scaled == 0 {
		t.Error("no layer was rescaled")
	}
	t.Logf("‖δ¹‖ = %g, ‖δᴸ⁻¹‖ = %g; %d layers carry a scale (‖δ‖ went below 2^−60 above them); largest relative error of ‖δˡ‖ %.2g", want[1], want[L-1], scaled, maxErr)

	// Without scales float32 loses δ at the bottom.
	ws.noRescale = true
	if err := ws.BackwardLabels(labels); err != nil {
		t.Fatal(err)
	}
	if n := ws.Delta(1).Norm(); n != 0 || ws.DeltaExp(1) != 0 {
		t.Errorf("unscaled ‖δ¹‖ = %g, want 0 (underflow)", n)
	}
}

// TestRescaleBitIdentical: where float32 does not underflow, the scaled
// backward pass is bit for bit the unscaled one: δˡ·2^s, ∂C/∂wˡ, ∂C/∂bˡ and
// the input gradient. A 36-layer network is deep enough for scales (‖δ‖ goes
// below 2^−60) and shallow enough that the unscaled pass stays normal.
func TestRescaleBitIdentical(t *testing.T) {
	for _, hidden := range []int{3, 34} {
		sizes := []int{50}
		for range hidden {
			sizes = append(sizes, 20)
		}
		sizes = append(sizes, 10)
		net, err := New(Config{Sizes: sizes})
		if err != nil {
			t.Fatal(err)
		}
		net.Init(NielsenDefault, 5)
		const m = 7
		x, _ := randMatrix(NewRand(3), m, 50, 0, 1)
		labels := []int{0, 1, 2, 3, 4, 5, 6}
		run := func(noRescale bool) (ds, gw, gb [][]float32, exps []int, ig []float32) {
			ws, err := NewWorkspace(net, m)
			if err != nil {
				t.Fatal(err)
			}
			ws.noRescale = noRescale
			if err := ws.Forward(x); err != nil {
				t.Fatal(err)
			}
			if err := ws.BackwardLabels(labels); err != nil {
				t.Fatal(err)
			}
			for l := 1; l <= net.Layers(); l++ {
				ds = append(ds, ws.Delta(l).CopyTo(make([]float32, ws.Delta(l).Len())))
				gw = append(gw, ws.GradW(l).CopyTo(make([]float32, ws.GradW(l).Len())))
				gb = append(gb, ws.GradB(l).CopyTo(make([]float32, ws.GradB(l).Len())))
				exps = append(exps, ws.DeltaExp(l))
			}
			ig, err = ws.InputGradient(make([]float32, m*50))
			if err != nil {
				t.Fatal(err)
			}
			return
		}
		ds0, gw0, gb0, _, ig0 := run(true)
		ds1, gw1, gb1, exps, ig1 := run(false)
		scaled := false
		minAbs := math.Inf(1)
		for l := range ds0 {
			for i := range ds0[l] {
				if v := math.Abs(float64(ds0[l][i])); v != 0 {
					minAbs = min(minAbs, v)
				}
				got := float32(math.Ldexp(float64(ds1[l][i]), exps[l]))
				if math.Float32bits(got) != math.Float32bits(ds0[l][i]) {
					t.Fatalf("%d hidden layers, layer %d: δ[%d]·2^%d = %g, unscaled %g", hidden, l+1, i, exps[l], got, ds0[l][i])
				}
			}
			scaled = scaled || exps[l] != 0
			for i := range gw0[l] {
				if math.Float32bits(gw0[l][i]) != math.Float32bits(gw1[l][i]) {
					t.Fatalf("%d hidden layers, layer %d: ∂C/∂w[%d] = %g, unscaled %g", hidden, l+1, i, gw1[l][i], gw0[l][i])
				}
			}
			for i := range gb0[l] {
				if math.Float32bits(gb0[l][i]) != math.Float32bits(gb1[l][i]) {
					t.Fatalf("%d hidden layers, layer %d: ∂C/∂b[%d] = %g, unscaled %g", hidden, l+1, i, gb1[l][i], gb0[l][i])
				}
			}
		}
		for i := range ig0 {
			if math.Float32bits(ig0[i]) != math.Float32bits(ig1[i]) {
				t.Fatalf("%d hidden layers: input gradient [%d] = %g, unscaled %g", hidden, i, ig1[i], ig0[i])
			}
		}
		if minAbs < 0x1p-126 {
			t.Fatalf("%d hidden layers: the unscaled pass has a subnormal δ (%g): choose a shallower network", hidden, minAbs)
		}
		if want := hidden > 20; scaled != want {
			t.Errorf("%d hidden layers: scaled = %v, want %v (scales %v)", hidden, scaled, want, exps)
		}
	}
}
