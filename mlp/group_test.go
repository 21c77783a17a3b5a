package mlp

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/deltacore/deltacore"
)

// groupTrainers builds count trainers of the given sizes (seeds 1…count) on data.
func groupTrainers(t *testing.T, sizes [][]int, opt SGD, data *Dataset) []*Trainer {
	t.Helper()
	var trs []*Trainer
	for i, s := range sizes {
		net, err := New(Config{Sizes: s})
		if err != nil {
			t.Fatal(err)
		}
		net.Init(NielsenDefault, uint64(i+1))
		tr, err := NewTrainer(net, opt, data)
		if err != nil {
			t.Fatal(err)
		}
		trs = append(trs, tr)
	}
	return trs
}

// record observes every pass of tr: the step index, ‖∂C/∂w¹‖ and ‖∂C/∂bˡ‖
// of every layer, and checks ∂C/∂w¹ against δ¹ᵀ·x/m in float64.
func record(t *testing.T, tr *Trainer, x []float32, out *[]float64) {
	tr.WS.Observe(func(p *Pass) {
		*out = append(*out, float64(p.Index()), p.GradW(1).Norm())
		for l := 1; l <= p.Layers(); l++ {
			*out = append(*out, p.GradB(l).Norm())
		}
		d, g := p.Delta(1), p.GradW(1)
		m, n0 := d.Rows(), g.Cols()
		for _, ij := range [][2]int{{0, 0}, {g.Rows() - 1, n0 - 1}, {g.Rows() / 2, n0 / 3}} {
			i, j := ij[0], ij[1]
			var s, a float64
			for r := 0; r < m; r++ {
				v := float64(d.At(r, i)) * float64(x[r*n0+j])
				s += v
				a += math.Abs(v)
			}
			s /= float64(m)
			a /= float64(m)
			if got := float64(g.At(i, j)); math.Abs(got-s) > 1e-5*a+1e-30 {
				t.Errorf("∂C/∂w¹[%d][%d] = %g, float64 reference %g", i, j, got, s)
			}
		}
	})
}

func TestGroupStepBitIdentical(t *testing.T) {
	for _, batch := range []bool{false, true} {
		name := "Step"
		if batch {
			name = "StepBatch"
		}
		t.Run(name, func(t *testing.T) { testGroupStepBitIdentical(t, batch) })
	}
}

// testGroupStepBitIdentical checks Group.Step (or with batch, StepBatch)
// against Trainer.Step, bit for bit, in the cases below: batches of 1000
// (three networks' ∂C/∂w¹ in one product), 10 and 200 (four), 1100 (past
// the direct path: one at a time), inputs that are no multiple of the
// Batch's panel width (50 = 32 + 18) or narrower than one panel (20).
func testGroupStepBitIdentical(t *testing.T, batch bool) {
	for _, c := range []struct {
		name  string
		m     int
		sizes [][]int
		opt   SGD
	}{
		{"batch1000", 1000, [][]int{{784, 30, 30, 10}, {784, 30, 30, 30, 10}, {784, 30, 10}, {784, 30, 30, 10}, {784, 30, 20, 10}}, SGD{Eta: 0.1, Lambda: 5}},
		{"batch10", 10, [][]int{{784, 30, 30, 10}, {784, 30, 10}, {784, 30, 30, 10}}, SGD{Eta: 0.5, Lambda: 1}},
		{"momentum", 200, [][]int{{784, 30, 30, 10}, {784, 30, 10}}, SGD{Eta: 0.1, Lambda: 5, Momentum: 0.9}},
		{"nesterov", 200, [][]int{{784, 30, 30, 10}, {784, 30, 10}, {784, 30, 10}}, SGD{Eta: 0.1, Momentum: 0.9, Nesterov: true, MomentumSchedule: true}},
		{"packed", 1100, [][]int{{50, 30, 10}, {50, 30, 10}}, SGD{Eta: 0.1}},
		{"n0=50", 300, [][]int{{50, 30, 10}, {50, 30, 20, 10}, {50, 30, 10}}, SGD{Eta: 0.1, Lambda: 5}},
		{"n0=20", 300, [][]int{{20, 13, 10}, {20, 13, 10}}, SGD{Eta: 0.1, Lambda: 5}},
		{"regrouped", 200, [][]int{{784, 30, 30, 10}, {784, 30, 10}, {784, 30, 20, 10}}, SGD{Eta: 0.1, Lambda: 5}},
	} {
		// "regrouped" puts the last and first trainers in a second group
		// (never stepped), which takes their ∂C/∂w¹ into its own block:
		// the first group's stacked product then goes through scratch.
		regroup := c.name == "regrouped"
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && c.m > 200 {
				t.Skip("short")
			}
			data := toyData(c.m, c.sizes[0][0], 10, 7)
			c.opt.NoShuffle = true
			one := groupTrainers(t, c.sizes, c.opt, data)
			grp := groupTrainers(t, c.sizes, c.opt, data)
			recOne := make([][]float64, len(one))
			recGrp := make([][]float64, len(grp))
			for i := range one {
				record(t, one[i], data.X, &recOne[i])
				record(t, grp[i], data.X, &recGrp[i])
			}
			g, err := NewGroup(grp...)
			if err != nil {
				t.Fatal(err)
			}
			if regroup {
				if _, err := NewGroup(grp[len(grp)-1], grp[0]); err != nil {
					t.Fatal(err)
				}
				if g.inPlace([]*Workspace{grp[0].WS, grp[1].WS}) != nil {
					t.Fatal("inPlace found neighbours after the regrouping")
				}
			} else if len(grp) > 1 && g.inPlace([]*Workspace{grp[0].WS, grp[1].WS}) == nil {
				t.Error("the first two trainers' ∂C/∂w¹ are not neighbours in the group's block")
			}
			var b *Batch
			if batch {
				if b, err = NewBatch(data.X, c.sizes[0][0]); err != nil {
					t.Fatal(err)
				}
			}
			for step := 0; step < 3; step++ {
				for _, tr := range one {
					if err := tr.Step(data.X, data.Labels, nil); err != nil {
						t.Fatal(err)
					}
				}
				if batch {
					err = g.StepBatch(b, data.Labels, nil)
				} else {
					err = g.Step(data.X, data.Labels, nil)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			for i := range one {
				if one[i].Steps() != grp[i].Steps() {
					t.Errorf("network %d: %d steps alone, %d in the group", i, one[i].Steps(), grp[i].Steps())
				}
				for l := 1; l <= one[i].Net.Layers(); l++ {
					if !slices.Equal(one[i].Net.Weights(l), grp[i].Net.Weights(l)) || !slices.Equal(one[i].Net.Biases(l), grp[i].Net.Biases(l)) {
						t.Errorf("network %d layer %d: parameters differ between Step and Group.Step", i, l)
					}
				}
				if !slices.Equal(recOne[i], recGrp[i]) {
					t.Errorf("network %d: observers saw %v alone, %v in the group", i, recOne[i], recGrp[i])
				}
				if len(recOne[i]) == 0 {
					t.Errorf("network %d: no observer call", i)
				}
			}
		})
	}
}

func TestGroupStackSize(t *testing.T) {
	for _, c := range []struct{ m, n1, n0, want int }{
		{1000, 30, 784, 3}, // 90·1000 ≤ 96 Ki, 120·1000 is not
		{10, 30, 784, 4},
		{100, 30, 784, 4}, // op(B) = x fits: direct whatever the rows
		{1025, 30, 784, 1},
		{4000, 30, 10, 1}, // k > 1024: packed
		{1000, 100, 784, 1},
	} {
		if got := stackSize(c.m, c.n1, c.n0); got != c.want {
			t.Errorf("stackSize(%d, %d, %d) = %d, want %d", c.m, c.n1, c.n0, got, c.want)
		}
	}
}

func TestGroupStepError(t *testing.T) {
	data := toyData(100, 784, 5, 3)
	labels := slices.Clone(data.Labels)
	labels[5] = 7 // out of range for the second network's 5 outputs
	trs := groupTrainers(t, [][]int{{784, 30, 10}, {784, 30, 5}, {784, 30, 10}}, SGD{Eta: 0.1, NoShuffle: true}, data)
	ref := groupTrainers(t, [][]int{{784, 30, 10}}, SGD{Eta: 0.1, NoShuffle: true}, data)
	g, err := NewGroup(trs...)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Step(data.X, labels, nil); err == nil {
		t.Fatal("no error for a label out of range")
	}
	if err := ref[0].Step(data.X, labels, nil); err != nil {
		t.Fatal(err)
	}
	if got := []int{trs[0].Steps(), trs[1].Steps(), trs[2].Steps()}; !slices.Equal(got, []int{1, 0, 0}) {
		t.Errorf("steps after the error: %v, want [1 0 0]", got)
	}
	if !slices.Equal(trs[0].Net.Weights(1), ref[0].Net.Weights(1)) {
		t.Error("the network before the error did not take Step's step")
	}
	if _, err := NewGroup(trs[0], groupTrainers(t, [][]int{{784, 20, 10}}, SGD{Eta: 0.1}, data)[0]); err == nil {
		t.Error("NewGroup took networks with different n¹")
	}
}

// TestGroupStepBatchLevels checks StepBatch against Trainer.Step, bit for
// bit, on every kernel level (each level's tiles read a Batch's panels in
// place), with n⁰ = 70 (a last panel of 32 + 6 columns), 48 (a last panel
// of 16), 50 (of 18), 33 (one panel of 32 + 1) and 20 (one panel of all of
// x), and that NewBatch and StepBatch reject bad batches.
func TestGroupStepBatchLevels(t *testing.T) {
	for _, l := range deltacore.Levels() {
		for _, n0 := range []int{70, 48, 50, 33, 20} {
			t.Run(fmt.Sprintf("%v/n0=%d", l, n0), func(t *testing.T) {
				setLevel(t, l)
				sizes := [][]int{{n0, 30, 10}, {n0, 30, 30, 10}, {n0, 30, 10}}
				data := toyData(250, n0, 10, 9)
				opt := SGD{Eta: 0.1, Lambda: 5, NoShuffle: true}
				one := groupTrainers(t, sizes, opt, data)
				grp := groupTrainers(t, sizes, opt, data)
				g, err := NewGroup(grp...)
				if err != nil {
					t.Fatal(err)
				}
				b, err := NewBatch(data.X, n0)
				if err != nil {
					t.Fatal(err)
				}
				recOne := make([][]float64, len(one))
				recGrp := make([][]float64, len(grp))
				for i := range one {
					record(t, one[i], data.X, &recOne[i])
					record(t, grp[i], data.X, &recGrp[i])
				}
				for step := 0; step < 2; step++ {
					for _, tr := range one {
						if err := tr.Step(data.X, data.Labels, nil); err != nil {
							t.Fatal(err)
						}
					}
					if err := g.StepBatch(b, data.Labels, nil); err != nil {
						t.Fatal(err)
					}
				}
				for i := range one {
					for l := 1; l <= one[i].Net.Layers(); l++ {
						if !slices.Equal(one[i].Net.Weights(l), grp[i].Net.Weights(l)) || !slices.Equal(one[i].Net.Biases(l), grp[i].Net.Biases(l)) {
							t.Errorf("network %d layer %d: parameters differ between Step and StepBatch", i, l)
						}
					}
					if !slices.Equal(recOne[i], recGrp[i]) {
						t.Errorf("network %d: observers saw %v alone, %v with StepBatch", i, recOne[i], recGrp[i])
					}
				}
			})
		}
	}
	data := toyData(10, 70, 10, 9)
	if _, err := NewBatch(data.X[:69], 70); err == nil {
		t.Error("NewBatch took 69 values for samples of 70")
	}
	if _, err := NewBatch(nil, 70); err == nil {
		t.Error("NewBatch took an empty batch")
	}
	b, err := NewBatch(data.X, 70)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.X(), data.X) {
		t.Error("Batch.X differs from the batch given")
	}
	g, _ := NewGroup(groupTrainers(t, [][]int{{60, 30, 10}, {60, 30, 10}}, SGD{Eta: 0.1}, toyData(10, 60, 10, 9))...)
	if err := g.StepBatch(b, data.Labels, nil); err == nil {
		t.Error("StepBatch took a batch of 70 inputs for networks of 60")
	}
}

// TestBatchPanels checks that a Batch's panels hold every column of x once,
// in order, each sample's part of a panel contiguous.
func TestBatchPanels(t *testing.T) {
	for _, n0 := range []int{1, 20, 31, 32, 33, 47, 48, 50, 64, 70, 609, 784} {
		const m = 3
		x := make([]float32, m*n0)
		for i := range x {
			x[i] = float32(i)
		}
		b, err := NewBatch(x, n0)
		if err != nil {
			t.Fatal(err)
		}
		next := 0
		for q := range b.np {
			j, w, off := panel(q, n0, m)
			if j != next || w < 1 || (n0 >= 16 && w < 16) {
				t.Fatalf("n0=%d: panel %d is columns %d…%d, want it to start at %d, at least 16 wide", n0, q, j, j+w-1, next)
			}
			for r := 0; r < m; r++ {
				if got := b.xp[off+r*w : off+(r+1)*w]; !slices.Equal(got, x[r*n0+j:r*n0+j+w]) {
					t.Fatalf("n0=%d: panel %d, sample %d holds %v", n0, q, r, got)
				}
			}
			next = j + w
		}
		if next != n0 {
			t.Errorf("n0=%d: the panels end at column %d", n0, next)
		}
	}
}
