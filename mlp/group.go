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
// StepBatch is Step on a Batch: the same input at every step (full-batch
// training), laid out once for the stacked product, which then reads x in
// contiguous column panels instead of across its rows.
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

// Batch is a batch of inputs for Group.StepBatch: a copy of x, m samples
// of n⁰ inputs, and the same values in column panels (see panel; each
// holds its inputs of every sample, sample after sample), which the
// stacked ∂C/∂w¹ = δ¹ᵀ·x/m reads as one contiguous stream per panel. Read in place, x is read panelWidth columns at a time
// across its rows, one row every n⁰ floats (measured on an Intel Xeon,
// family 6 model 167, avx512, 90 × 784 × 1000: 125–133 → 143–151 GFLOP/s).
// Each element of the product is the same sum in the same order either
// way (the panels are products on the same direct path, see tnDirect), so
// the results are bit for bit Step's. The first layers' forward products
// read x packed in rows (deltacore.PackRows, DenseForwardRows: the same
// results as DenseForwardAct). A Batch is read only: several groups on
// several goroutines may share it.
type Batch struct {
	x, xp  []float32
	n0, np int                   // inputs, panels
	rows   *deltacore.PackedRows // x for the first layers' forward products
}

// panelWidth is the width of a Batch's column panels: a multiple of every
// level's register tile width (32, 16, 8).
const panelWidth = 32

// panel returns the first column j and the width w of panel q of n0
// columns, and where it starts in Batch.xp (m rows). Panels are
// panelWidth wide from column 0 on, and n0 < panelWidth makes one panel
// of all of x. The r = n0 mod panelWidth columns left are a panel of their
// own when r ≥ 16, else part of the panel before (panelWidth + r wide):
// the AVX2 level computes a tile narrower than its 16 columns in pieces of
// k, another sum than the product over all of x, which computes its last
// columns as a full tile ending at n0 (as it does in a panel wider than
// 16). The panels hold every column once: n0 = 609 (the study's inputs
// without its always-zero pixels) is 18 panels of 32 and one of 33.
func panel(q, n0, m int) (j, w, off int) {
	if n0 < panelWidth {
		return 0, n0, 0
	}
	j, w = q*panelWidth, panelWidth
	if r := n0 % panelWidth; r > 0 && j+panelWidth > n0 {
		w = r // r ≥ 16: the last panel
	} else if r > 0 && r < 16 && j+2*panelWidth > n0 {
		w += r // the panel before the r < 16 columns left takes them
	}
	return j, w, j * m
}

// panels returns the number of panels of n0 columns (see panel).
func panels(n0 int) int {
	if r := n0 % panelWidth; n0 >= panelWidth && r > 0 && r < 16 {
		return n0 / panelWidth
	}
	return (n0 + panelWidth - 1) / panelWidth
}

// NewBatch copies the batch x of samples of n0 inputs each into a Batch.
func NewBatch(x []float32, n0 int) (*Batch, error) {
	if n0 <= 0 || len(x) == 0 || len(x)%n0 != 0 {
		return nil, fmt.Errorf("mlp: NewBatch: %d values is not a whole number (≥ 1) of samples of n⁰ = %d inputs", len(x), n0)
	}
	m := len(x) / n0
	np := panels(n0)
	rows := deltacore.PackRows(m, n0, x, n0)
	b := &Batch{x: rows.X(), xp: make([]float32, len(x)), n0: n0, np: np, rows: rows}
	for q := range np {
		j, w, off := panel(q, n0, m)
		p := b.xp[off : off+w*m]
		for r := 0; r < m; r++ {
			copy(p[r*w:(r+1)*w], x[r*n0+j:])
		}
	}
	return b, nil
}

// X returns the batch's inputs, m × n⁰ row-major (the Batch's copy: it
// must not be changed).
func (b *Batch) X() []float32 { return b.x }

// StepBatch is Step(b.X(), labels, y), with the stacked ∂C/∂w¹ read from
// b's column panels (same results, bit for bit).
func (g *Group) StepBatch(b *Batch, labels []int, y []float32) error {
	if len(g.trs) > 0 && b.n0 != g.trs[0].Net.cfg.Sizes[0] {
		return fmt.Errorf("mlp: StepBatch: batch of %d inputs for networks of n⁰ = %d", b.n0, g.trs[0].Net.cfg.Sizes[0])
	}
	return g.step(b.x, b, labels, y)
}

// tnDirect reports whether deltacore computes ∂C/∂w¹ = δᵀ·x of rows
// stacked units (δ m × rows, x m × n0) on its direct path, each element
// one chain of FMAs over all m samples in order (gemm.go, choosePath):
// k = m ≤ stackMaxK, op(A) = δᵀ or op(B) = x at most stackFloats, and not
// x with a row stride of 1024 floats or more that does not fit (those
// take the packed path, which splits k). A product over a panel of x's
// columns (at most panelWidth, row stride ≤ panelWidth) is then on the
// direct path too, and computes each of its elements as the whole
// product does.
func tnDirect(rows, n0, m int) bool {
	fits := rows*m <= stackFloats || n0*m <= stackFloats
	return m <= stackMaxK && fits && !(n0 >= 1024 && n0*m > stackFloats)
}

// Step takes one SGD step of every trainer on the batch x with labels (or
// dense targets y), as t.Step(x, labels, y) for each trainer t in order
// would. On an error the trainers before the failing one have taken their
// step and the others have not, as with those calls.
func (g *Group) Step(x []float32, labels []int, y []float32) error {
	return g.step(x, nil, labels, y)
}

// step is Step, with the stacked products reading b's panels when b is
// not nil (x is then b.x).
func (g *Group) step(x []float32, b *Batch, labels []int, y []float32) error {
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
			if b != nil {
				t.WS.rows = b.rows
			}
			err := t.Step(x, labels, y)
			t.WS.rows = nil
			if err != nil {
				return err
			}
		}
		return nil
	}
	for i, t := range g.trs {
		t.WS.deferW1 = true
		if b != nil {
			t.WS.rows = b.rows
		}
		err := t.pass(x, labels, y)
		t.WS.deferW1, t.WS.rows = false, nil
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
		g.stackedGradW1(want[:c], b)
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
// and batch size, in one product (with b's panels when b is not nil: the
// input is then b.x). A δ¹ kept with a power-of-two scale (a deep
// network's, see Pass.DeltaExp) is computed alone, with its scale.
func (g *Group) stackedGradW1(wss []*Workspace, b *Batch) {
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
	gw := g.inPlace(wss)
	scratch := gw == nil
	if scratch {
		gw = grow(&g.gw, ld*n0)
	}
	if b != nil && tnDirect(ld, n0, m) {
		// Panel by panel: each product is on the direct path as the whole
		// one is, with x's panel as a k×w matrix read in place.
		for q := range b.np {
			j, w, off := panel(q, n0, m)
			ws0.eng.Sgemm(deltacore.Trans, deltacore.NoTrans, ld, w, m, inv, d, ld, b.xp[off:off+w*m], w, 0, gw[j:], n0)
		}
	} else {
		ws0.eng.Sgemm(deltacore.Trans, deltacore.NoTrans, ld, n0, m, inv, d, ld, ws0.x, n0, 0, gw, n0)
	}
	if !scratch {
		return
	}
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
