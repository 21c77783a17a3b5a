package mlp_test

import (
	"fmt"

	"github.com/deltacore/deltacore/mlp"
)

// The book's "speed of learning" of each hidden layer, ‖∂C/∂bˡ‖ over a
// batch, recorded by an observer before every full-batch gradient step.
func ExampleWorkspace_Observe() {
	net, _ := mlp.New(mlp.Config{Sizes: []int{4, 3, 3, 2}})
	net.Init(mlp.NielsenDefault, 1)
	data := &mlp.Dataset{
		X:      []float32{0, 0.5, 1, 0, 1, 0.5, 0, 0.25, 0.75, 0.25, 0, 1},
		Inputs: 4,
		Labels: []int{0, 1, 1},
	}
	tr, _ := mlp.NewTrainer(net, mlp.SGD{Eta: 0.1, Lambda: 5}, data) // full batch
	var speeds [][]float64
	tr.WS.Observe(func(p *mlp.Pass) {
		s := make([]float64, 0, p.Layers()-1)
		for l := 1; l < p.Layers(); l++ { // hidden layers only
			s = append(s, p.GradB(l).Norm())
		}
		speeds = append(speeds, s)
	})
	for range 3 {
		tr.Epoch(nil)
	}
	fmt.Println(len(speeds), "steps,", len(speeds[0]), "hidden layers")
	// Output: 3 steps, 2 hidden layers
}
