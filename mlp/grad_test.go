package mlp

import (
	"fmt"
	"math"
	"testing"
)

var testDepths = [][]int{
	{4, 3},
	{5, 4, 3},
	{6, 5, 4, 3},
	{4, 7, 5, 6, 3},
}

type gradCase struct {
	hidden, output Activation
	cost           Cost
}

func gradCases() []gradCase {
	var cs []gradCase
	for _, h := range []Activation{Sigmoid, Tanh, ReLU} {
		cs = append(cs, gradCase{h, Sigmoid, CrossEntropy}, gradCase{h, Softmax, CrossEntropy})
		for _, o := range []Activation{Sigmoid, Tanh, ReLU} {
			cs = append(cs, gradCase{h, o, Quadratic})
		}
	}
	return cs
}

// closeTo reports whether got (float32 arithmetic) is within the tolerance
// of the float64 reference want, scaled by the size of the quantity.
func closeTo(got float32, want, scale float64) bool {
	return math.Abs(float64(got)-want) <= 2e-4*(scale+1e-3)
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// TestGradientsFiniteDifferences checks ∂C/∂wˡ, ∂C/∂bˡ and every per-sample
// δˡ against central differences of an independent float64 network, for
// every cost, activation and several depths, with one-hot labels, dense
// targets and a given output gradient.
func TestGradientsFiniteDifferences(t *testing.T) {
	const m = 5
	for _, c := range gradCases() {
		for _, sizes := range testDepths {
			for _, targets := range []string{"labels", "dense", "outgrad"} {
				if targets == "outgrad" && c.cost != Quadratic && c.output != Softmax {
					continue
				}
				name := fmt.Sprintf("%v-%v-%v/%v/%s", c.hidden, c.output, c.cost, sizes, targets)
				t.Run(name, func(t *testing.T) {
					net, err := New(Config{Sizes: sizes, Hidden: c.hidden, Output: c.output, Cost: c.cost})
					if err != nil {
						t.Fatal(err)
					}
					net.Init(NielsenDefault, uint64(len(sizes))*7+uint64(c.hidden)*3+uint64(c.output))
					rng := NewRand(99)
					n0, nL := sizes[0], sizes[len(sizes)-1]
					x, xs := randMatrix(rng, m, n0, 0, 1)
					var y []float32
					var ys, gs [][]float64
					labels := make([]int, m)
					switch targets {
					case "labels":
						ys = make([][]float64, m)
						for i := range labels {
							labels[i] = rng.IntN(nL)
							ys[i] = make([]float64, nL)
							ys[i][labels[i]] = 1
						}
					case "dense":
						y, ys = randMatrix(rng, m, nL, 0.05, 0.95)
					case "outgrad":
						y, gs = randMatrix(rng, m, nL, -1, 1)
					}
					ws, err := NewWorkspace(net, m+2)
					if err != nil {
						t.Fatal(err)
					}
					if err := ws.Forward(x); err != nil {
						t.Fatal(err)
					}
					switch targets {
					case "labels":
						err = ws.BackwardLabels(labels)
					case "dense":
						err = ws.Backward(y)
					case "outgrad":
						err = ws.BackwardOutputGrad(y)
					}
					if err != nil {
						t.Fatal(err)
					}
					ref := refFrom(net)
					L := net.Layers()
					for l := 1; l <= L; l++ {
						gw, gb := ref.fdGrad(l, func() float64 { return ref.batchCost(xs, ys, gs) })
						sw, sb := maxAbs(gw), maxAbs(gb)
						GW, GB := ws.GradW(l), ws.GradB(l)
						for i, want := range gw {
							if got := GW.data[i]; !closeTo(got, want, sw) {
								t.Errorf("∂C/∂w[%d][%d] = %g, finite differences %g", l, i, got, want)
							}
						}
						for i, want := range gb {
							if got := GB.data[i]; !closeTo(got, want, sb) {
								t.Errorf("∂C/∂b[%d][%d] = %g, finite differences %g", l, i, got, want)
							}
						}
						// δˡ of sample i is ∂Cᵢ/∂bˡ.
						D := ws.Delta(l)
						for i := 0; i < m; i++ {
							var yi, gi []float64
							if ys != nil {
								yi = ys[i]
							}
							if gs != nil {
								gi = gs[i]
							}
							_, db := ref.fdGrad(l, func() float64 { return ref.sampleCost(xs[i], yi, gi) })
							s := maxAbs(db)
							for j, want := range db {
								if got := D.At(i, j); !closeTo(got, want, s) {
									t.Errorf("δ[%d] of sample %d, unit %d = %g, finite differences %g", l, i, j, got, want)
								}
							}
						}
					}
					// The forward values and the cost against the reference.
					for i := 0; i < m; i++ {
						zs, as := ref.forward(xs[i])
						for l := 1; l <= L; l++ {
							for j := range zs[l] {
								if got := ws.Z(l).At(i, j); !closeTo(got, zs[l][j], 1) {
									t.Errorf("z[%d] of sample %d, unit %d = %g, want %g", l, i, j, got, zs[l][j])
								}
								if got := ws.A(l).At(i, j); !closeTo(got, as[l][j], 1) {
									t.Errorf("a[%d] of sample %d, unit %d = %g, want %g", l, i, j, got, as[l][j])
								}
							}
						}
					}
					if targets != "outgrad" {
						want := ref.batchCost(xs, ys, nil)
						var lb []int
						if targets == "labels" {
							lb = labels
						}
						got := ws.CostSum(lb, y) / m
						if math.Abs(got-want) > 1e-5*(1+want) {
							t.Errorf("cost %g, reference %g", got, want)
						}
					}
				})
			}
		}
	}
}

// TestSaturatedDelta checks that δ keeps its relative accuracy where σ′
// underflows the naive σ(1−σ): a unit with z = 30 must still pass a
// gradient of about e⁻³⁰ times the incoming one.
func TestSaturatedDelta(t *testing.T) {
	for _, f := range []Activation{Sigmoid, Tanh} {
		net, _ := New(Config{Sizes: []int{1, 1, 1}, Hidden: f, Cost: Quadratic})
		net.SetWeights(1, []float32{1})
		net.SetBiases(1, []float32{29})
		net.SetWeights(2, []float32{1})
		ws, _ := NewWorkspace(net, 1)
		if err := ws.Forward([]float32{1}); err != nil {
			t.Fatal(err)
		}
		if err := ws.Backward([]float32{0}); err != nil {
			t.Fatal(err)
		}
		d2 := math.Ldexp(float64(ws.Delta(2).At(0, 0)), ws.DeltaExp(2))
		var prime float64
		if f == Sigmoid {
			prime = math.Exp(-30) / math.Pow(1+math.Exp(-30), 2)
		} else {
			prime = 1 / math.Pow(math.Cosh(30), 2)
		}
		want := d2 * prime                                               // w² = 1
		got := math.Ldexp(float64(ws.Delta(1).At(0, 0)), ws.DeltaExp(1)) // δ's scale
		if want == 0 || math.Abs(got-want) > 1e-5*math.Abs(want) {
			t.Errorf("%v: δ¹ = %g, want %g", f, got, want)
		}
	}
}

// TestInputGradient checks ∂Cᵢ/∂xᵢ against central differences of the
// reference network in the inputs.
func TestInputGradient(t *testing.T) {
	for _, h := range []Activation{Sigmoid, Tanh} {
		net, _ := New(Config{Sizes: []int{6, 5, 4, 3}, Hidden: h})
		net.Init(NielsenDefault, 8)
		rng := NewRand(3)
		x, xs := randMatrix(rng, 4, 6, 0, 1)
		labels := []int{0, 2, 1, 2}
		ws, _ := NewWorkspace(net, 4)
		ws.Forward(x)
		ws.BackwardLabels(labels)
		g, err := ws.InputGradient(make([]float32, 4*6))
		if err != nil {
			t.Fatal(err)
		}
		ref := refFrom(net)
		for i := range xs {
			y := make([]float64, 3)
			y[labels[i]] = 1
			for k := range xs[i] {
				const e = 1e-6
				old := xs[i][k]
				xs[i][k] = old + e
				cp := ref.sampleCost(xs[i], y, nil)
				xs[i][k] = old - e
				cm := ref.sampleCost(xs[i], y, nil)
				xs[i][k] = old
				want := (cp - cm) / (2 * e)
				if got := g[i*6+k]; !closeTo(got, want, 1) {
					t.Errorf("%v: ∂C/∂x of sample %d, input %d = %g, want %g", h, i, k, got, want)
				}
			}
		}
	}
}
