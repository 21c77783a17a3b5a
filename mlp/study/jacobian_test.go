package study

import (
	"math"
	"testing"

	"github.com/deltacore/deltacore/mlp"
	"gonum.org/v1/gonum/mat"
)

// refJacobian returns ∂aᴸ/∂a⁰ of sample s (nᴸ × n⁰) by the chain rule in
// float64, written plainly: J = Σ′(zᴸ)wᴸ … Σ′(z¹)w¹.
func refJacobian(r *refNet, data *mlp.Dataset, s int) *mat.Dense {
	a, _ := r.pass(data, s)
	sizes := r.sizes
	J := mat.NewDense(sizes[0], sizes[0], nil)
	for i := 0; i < sizes[0]; i++ {
		J.Set(i, i, 1)
	}
	for l := 1; l < len(sizes); l++ {
		f := mat.NewDense(sizes[l], sizes[l-1], nil)
		for j := 0; j < sizes[l]; j++ {
			sp := a[l][j] * (1 - a[l][j])
			for i := 0; i < sizes[l-1]; i++ {
				f.Set(j, i, sp*r.w[l][j*sizes[l-1]+i])
			}
		}
		var n mat.Dense
		n.Mul(f, J)
		J = &n
	}
	return J
}

func TestJacobianAgainstFloat64(t *testing.T) {
	sizes := []int{12, 9, 9, 5}
	data := testData(6, 12, 5)
	net, err := mlp.New(mlp.Config{Sizes: sizes})
	if err != nil {
		t.Fatal(err)
	}
	net.Init(fixedInit{}, 0)
	res, err := Jacobian(net, data, JacobianConfig{Samples: 4, Probes: 4000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ref := newRefNet(sizes)
	var maxSV, meanSq float64
	var layerMean [4]float64
	for s := 0; s < 4; s++ {
		J := refJacobian(ref, data, s)
		var svd mat.SVD
		if !svd.Factorize(J, mat.SVDNone) {
			t.Fatal("SVD failed")
		}
		sv := svd.Values(nil)
		maxSV += sv[0] / 4
		for _, v := range sv {
			meanSq += v * v / float64(len(sv)) / 4
		}
		a, _ := ref.pass(data, s)
		for l := 1; l < len(sizes); l++ {
			f := mat.NewDense(sizes[l], sizes[l-1], nil)
			for j := 0; j < sizes[l]; j++ {
				for i := 0; i < sizes[l-1]; i++ {
					f.Set(j, i, a[l][j]*(1-a[l][j])*ref.w[l][j*sizes[l-1]+i])
				}
			}
			var ls mat.SVD
			ls.Factorize(f, mat.SVDNone)
			v := ls.Values(nil)
			sum := 0.0
			for _, x := range v {
				sum += x
			}
			layerMean[l] += sum / float64(len(v)) / 4
		}
	}
	check := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*want {
			t.Errorf("%s = %g, float64 reference %g", what, got, want)
		}
	}
	check("largest singular value", res.MaxSV, maxSV, 1e-4)
	check("mean squared singular value", res.MeanSqSV, meanSq, 1e-4)
	// 4000 Rademacher probes: the estimate's relative spread is a few %.
	check("Hutchinson estimate", res.MeanSqSVEst, meanSq, 0.1)
	for l := 1; l < len(sizes); l++ {
		check("layer mean singular value", res.Layers[l-1].MeanSV, layerMean[l], 1e-4)
	}
}
