package mlp

import (
	"math"
	"testing"
)

// TestSoftmaxExtreme: softmax outputs and their cost stay finite and exact
// where e^z overflows float64 and where a class's probability underflows.
func TestSoftmaxExtreme(t *testing.T) {
	net, err := New(Config{Sizes: []int{1, 3}, Output: Softmax})
	if err != nil {
		t.Fatal(err)
	}
	net.SetWeights(1, []float32{1000, -1000, 0})
	ws, _ := NewWorkspace(net, 2)
	if err := ws.Forward([]float32{1, -1}); err != nil {
		t.Fatal(err)
	}
	out := ws.Output()
	// Sample 0: z = (1000, −1000, 0): a = (1, 0, e^−1000 → 0).
	if out.At(0, 0) != 1 || out.At(0, 1) != 0 || out.At(0, 2) != 0 {
		t.Errorf("softmax(1000, −1000, 0) = %v %v %v", out.At(0, 0), out.At(0, 1), out.At(0, 2))
	}
	// Cost of label 2 for sample 0 is lse(z) − z₂ = 1000 (+ e^−1000…).
	c := ws.CostSum([]int{2, 0}, nil)
	if want := 1000.0 + 2000.0; math.Abs(c-want) > 1e-9*want {
		t.Errorf("cost %g, want %g", c, want)
	}
	if err := ws.BackwardLabels([]int{2, 0}); err != nil {
		t.Fatal(err)
	}
	d := ws.Delta(1)
	if d.At(0, 0) != 1 || d.At(0, 2) != -1 || d.At(1, 0) != -1 || d.At(1, 1) != 1 {
		t.Errorf("δ = %v", d.CopyTo(make([]float32, 6)))
	}
}

func TestSoftmaxConfig(t *testing.T) {
	if _, err := New(Config{Sizes: []int{2, 3, 2}, Hidden: Softmax, Output: Softmax}); err == nil {
		t.Error("softmax hidden layer accepted")
	}
	if _, err := New(Config{Sizes: []int{2, 2}, Output: Softmax, Cost: Quadratic}); err == nil {
		t.Error("softmax with the quadratic cost accepted")
	}
	if f, err := ParseActivation("softmax"); err != nil || f != Softmax {
		t.Errorf("ParseActivation(softmax) = %v, %v", f, err)
	}
}

// TestMeanFieldInit checks the variances of the mean-field initialiser
// against σ_w²/nᵢₙ and σ_b² (sample variances of 200 000 and 2 000 draws),
// and its name round trip.
func TestMeanFieldInit(t *testing.T) {
	init, err := ParseInitializer("meanfield:1.76,0.05")
	if err != nil || init.String() != "meanfield:1.76,0.05" {
		t.Fatalf("ParseInitializer = %v, %v", init, err)
	}
	net, _ := New(Config{Sizes: []int{400, 500, 2000}})
	net.Init(init, 1)
	varOf := func(x []float32) float64 {
		var s float64
		for _, v := range x {
			s += float64(v) * float64(v)
		}
		return s / float64(len(x))
	}
	if v, want := varOf(net.Weights(1)), 1.76/400; math.Abs(v/want-1) > 0.02 {
		t.Errorf("var w¹ = %g, want %g", v, want)
	}
	if v, want := varOf(net.Weights(2)), 1.76/500; math.Abs(v/want-1) > 0.02 {
		t.Errorf("var w² = %g, want %g", v, want)
	}
	if v := varOf(net.Biases(2)); math.Abs(v/0.05-1) > 0.1 {
		t.Errorf("var b² = %g, want 0.05", v)
	}
	for _, bad := range []string{"meanfield:1", "meanfield:-1,0", "meanfield:a,b", "meanfield:1,NaN"} {
		if _, err := ParseInitializer(bad); err == nil {
			t.Errorf("ParseInitializer(%q) accepted", bad)
		}
	}
}
