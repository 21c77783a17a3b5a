package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestStudyMeanFieldJSON runs `deltacore study meanfield --json` on small
// networks and checks the fields and the known critical point.
func TestStudyMeanFieldJSON(t *testing.T) {
	out, errOut, code := runCommand(t, "study", "meanfield", "--json", "-act", "tanh", "-sigma-w2", "1,2.5",
		"-sigma-b2", "0.05", "-width", "100", "-depth", "40", "-nets", "1", "-line", "0,0.05")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Act             string  `json:"act"`
		CriticalSigmaW2 float64 `json:"critical_sigma_w2"`
		Points          []struct {
			SigmaW2       float64  `json:"sigma_w2"`
			QStar         *float64 `json:"q_star"`
			Chi1          *float64 `json:"chi1"`
			CStar         *float64 `json:"c_star"`
			XiQ           *float64 `json:"xi_q"`
			XiC           *float64 `json:"xi_c"`
			SlopeTheory   float64  `json:"slope_theory"`
			SlopeMeasured *float64 `json:"slope_measured"`
		} `json:"points"`
		CriticalLine []struct {
			SigmaB2, SigmaW2 float64
		} `json:"critical_line"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if rep.Act != "tanh" || math.Abs(rep.CriticalSigmaW2-1.76) > 0.005 || len(rep.Points) != 2 || len(rep.CriticalLine) != 2 {
		t.Fatalf("report %+v", rep)
	}
	for _, p := range rep.Points {
		if p.QStar == nil || p.Chi1 == nil || p.CStar == nil || p.XiQ == nil || p.XiC == nil || p.SlopeMeasured == nil {
			t.Fatalf("σ_w² = %g: missing field in %s", p.SigmaW2, out)
		}
		if math.Abs(*p.SlopeMeasured-p.SlopeTheory) > 0.03 {
			t.Errorf("σ_w² = %g: measured slope %g, theory %g", p.SigmaW2, *p.SlopeMeasured, p.SlopeTheory)
		}
	}
	if !(*rep.Points[0].Chi1 < 1 && *rep.Points[1].Chi1 > 1 && *rep.Points[1].CStar < 1) {
		t.Errorf("phases: %s", out)
	}
	_, errOut, code = runCommand(t, "study", "meanfield", "-act", "softplus")
	if code != 1 || !strings.Contains(errOut, "softplus") {
		t.Errorf("bad -act: exit %d, %q", code, errOut)
	}
}

// TestStudyJacobianSpectra runs `deltacore study jacobian -spectra` small.
func TestStudyJacobianSpectra(t *testing.T) {
	out, errOut, code := runCommand(t, "study", "jacobian", "-spectra", "-json", "-width", "60", "-depths", "4,8",
		"-samples", "1", "-out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []struct {
		Weights    string  `json:"weights"`
		Depth      int     `json:"depth"`
		Mean       float64 `json:"mean_sq_sv"`
		Variance   float64 `json:"var_sq_sv"`
		Prediction float64 `json:"var_sq_sv_prediction"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if len(rows) != 4 || rows[0].Weights != "orthogonal" || rows[3].Weights != "gaussian" || rows[3].Depth != 8 {
		t.Fatalf("rows %+v", rows)
	}
	if !(rows[1].Variance < rows[3].Variance) || math.Abs(rows[3].Prediction-8*rows[1].Prediction/8-8) > 1 {
		t.Errorf("rows %+v", rows)
	}
}
