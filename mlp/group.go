package mlp

import (
	"fmt"

	"github.com/deltacore/deltacore"
)

// Group steps several trainers on the same batches, as a study that trains
// many networks on one data set does. Group.Step gives each network exactly
// what its own Trainer.Step gives, bit for bit, but computes the first
// layers' weight gradients ∂C/∂w¹ = δ¹ᵀ·x/m of up to four networks as one
// matrix product, their δ¹ side by side: the input x, the largest operand,
// is then read once for several networks, and the product has more rows
// for the register tiles (measured on an Intel Xeon, family 6 model 167,
// avx512, m = 1000, n¹ = 30, n⁰ = 784: 118 GFLOP/s for one network, 155 for
// three stacked).
//
// The stacked product computes each element of ∂C/∂w¹ as the same sum in
// the same order as the product of one network; stackSize keeps it on the
// same deltacore code path (see there), and TestGroupStepBitIdentical
// checks the equality.
//
// NewGroup moves the trainers' ∂C/∂w¹ into one block, trainer after
// trainer, so that the stacked product of neighbours writes each network's
// gradient in place instead of into scratch and then copied out
// (Workspace.GradW views taken before NewGroup keep the old storage).
type Group struct {
	trs   []*Trainer
	d, gw []float32    // stacked δ¹ (m × K·n¹) and ∂C/∂w¹ (K·n¹ × n⁰), scratch
	gw1   []float32    // the trainers' ∂C/∂w¹, n¹·n⁰ floats each, in order
	want  []*Workspace // the workspaces that want ∂C/∂w¹, kept between steps
}

// NewGroup returns a group of trainers. Their networks must have the same
// n⁰ and n¹; each trainer must belong to the group alone while it is used
// through it.
func NewGroup(trs ...*Trainer) (*Group, error) {
	for i, t := range trs {
		if t == nil {
			return nil, fmt.Errorf("mlp: NewGroup: trainer %d is nil", i)
		}
		s, s0 := t.Net.cfg.Sizes, trs[0].Net.cfg.Sizes
		if s[0] != s0[0] || s[1] != s0[1] {
			return nil, fmt.Errorf("mlp: NewGroup: trainer %d has n⁰, n¹ = %d, %d; trainer 0 %d, %d", i, s[0], s[1], s0[0], s0[1])
		}
	}
	g := &Group{trs: trs}
	if len(trs) > 1 {
		sz := len(trs[0].WS.gw[1])
		g.gw1 = make([]float32, len(trs)*sz)
		for i, t := range trs {
			blk := g.gw1[i*sz : (i+1)*sz : (i+1)*sz]
			copy(blk, t.WS.gw[1])
			t.WS.gw[1] = blk
		}
	}
	return g, nil
}

// inPlace returns the part of g.gw1 that holds the ∂C/∂w¹ of wss one after
// the other, or nil when they are not neighbours there (a trainer in two
// groups, or one between them that is left out).
func (g *Group) inPlace(wss []*Workspace) []float32 {
	if len(g.gw1) == 0 {
		return nil
	}
	sz := len(wss[0].gw[1])
	for i := range g.trs {
		if i+len(wss) > len(g.trs) || &g.gw1[i*sz] != &wss[0].gw[1][0] {
			continue
		}
		for c, ws := range wss {
			if &g.gw1[(i+c)*sz] != &ws.gw[1][0] {
				return nil
			}
		}
		return g.gw1[i*sz : (i+len(wss))*sz]
	}
	return nil
}

// Trainers returns the group's trainers.
func (g *Group) Trainers() []*Trainer { return g.trs }

// stackFloats is deltacore's limit on the floats of op(A) for its direct
// (unpacked, whole-k) product path (directMaxA in gemm.go), and
// stackMaxK its limit on k (directMaxK).
const (
	stackFloats = 96 * 1024
	stackMaxK   = 1024
)

// stackSize returns how many networks' ∂C/∂w¹ (n¹ × n⁰ over a batch of m)
// go into one product: at most 4 (more measured no faster), and only as
// many as keep the product on the path that one network's takes (direct,
// whole k per tile, when k = m ≤ stackMaxK and op(A) = δ¹ᵀ or op(B) = x is
// at most stackFloats), so that every element is the same sum. 1 when one
// network's product is packed (k split in blocks): its speed with more rows
// is unmeasured.
func stackSize(m, n1, n0 int) int {
	if m > stackMaxK || (n1*m > stackFloats && n0*m > stackFloats) {
		return 1
	}
	k := 4
	for k > 1 && k*n1*m > stackFloats && n0*m > stackFloats {
		k--
	}
	return k
}

// Step takes one SGD step of every trainer on the batch x with labels (or
// dense targets y), as t.Step(x, labels, y) for each trainer t in order
// would. On an error the trainers before the failing one have taken their
// step and the others have not, as with those calls.
func (g *Group) Step(x []float32, labels []int, y []float32) error {
	if len(g.trs) == 0 {
		return nil
	}
	n0, n1 := g.trs[0].Net.cfg.Sizes[0], g.trs[0].Net.cfg.Sizes[1]
	m := 0
	if n0 > 0 {
		m = len(x) / n0
	}
	K := stackSize(m, n1, n0)
	if K < 2 || len(g.trs) < 2 {
		for _, t := range g.trs {
			if err := t.Step(x, labels, y); err != nil {
				return err
			}
		}
		return nil
	}
	for i, t := range g.trs {
		t.WS.deferW1 = true
		err := t.pass(x, labels, y)
		t.WS.deferW1 = false
		if err != nil {
			// Finish the ones before, one by one.
			for _, u := range g.trs[:i] {
				g.gradW1(u.WS)
				u.WS.endPass()
				u.update()
			}
			return err
		}
	}
	// Stack the networks that want ∂C/∂w¹, K at a time.
	want := g.want[:0]
	for _, t := range g.trs {
		if !t.WS.noGradW {
			want = append(want, t.WS)
		}
	}
	g.want = want
	for len(want) > 0 {
		c := min(K, len(want))
		g.stackedGradW1(want[:c])
		want = want[c:]
	}
	for _, t := range g.trs {
		t.WS.endPass()
		t.update()
	}
	return nil
}

// gradW1 computes ws's ∂C/∂w¹ as finishBackward does.
func (g *Group) gradW1(ws *Workspace) {
	if ws.noGradW {
		return
	}
	ws.gradW(1, ws.x)
}

// stackedGradW1 computes ∂C/∂w¹ of the workspaces, which share their input
// and batch size, in one product. A δ¹ kept with a power-of-two scale (a
// deep network's, see Pass.DeltaExp) is computed alone, with its scale.
func (g *Group) stackedGradW1(wss []*Workspace) {
	plain := wss[:0] // filtered in place: wss is g.want's, rebuilt every step
	for _, ws := range wss {
		if ws.dexp[1] != 0 {
			g.gradW1(ws)
		} else {
			plain = append(plain, ws)
		}
	}
	wss = plain
	if len(wss) == 0 {
		return
	}
	if len(wss) == 1 {
		g.gradW1(wss[0])
		return
	}
	ws0 := wss[0]
	n1, n0, m := ws0.net.cfg.Sizes[1], ws0.net.cfg.Sizes[0], ws0.m
	K := len(wss)
	ld := K * n1
	d := grow(&g.d, m*ld)
	for c, ws := range wss {
		src := ws.d[1]
		for r := 0; r < m; r++ {
			copy(d[r*ld+c*n1:r*ld+(c+1)*n1], src[r*n1:(r+1)*n1])
		}
	}
	inv := float32(1 / float64(m))
	if gw := g.inPlace(wss); gw != nil {
		ws0.eng.Sgemm(deltacore.Trans, deltacore.NoTrans, ld, n0, m, inv, d, ld, ws0.x, n0, 0, gw, n0)
		return
	}
	gw := grow(&g.gw, ld*n0)
	ws0.eng.Sgemm(deltacore.Trans, deltacore.NoTrans, ld, n0, m, inv, d, ld, ws0.x, n0, 0, gw, n0)
	for c, ws := range wss {
		copy(ws.gw[1], gw[c*n1*n0:(c+1)*n1*n0])
	}
}

// grow returns (*s)[:n], reallocating when the capacity is too small.
func grow(s *[]float32, n int) []float32 {
	if cap(*s) < n {
		*s = make([]float32, n)
	}
	return (*s)[:n]
}
