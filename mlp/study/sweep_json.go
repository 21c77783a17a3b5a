package study

import (
	"encoding/json"
	"math"
)

// jsonFloat is a float64 that JSON encodes as a number when finite and as
// the string "NaN", "+Inf" or "-Inf" otherwise (encoding/json refuses
// those), so that a diverged run survives a round trip exactly.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	}
	return json.Marshal(v)
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*f = jsonFloat(math.NaN())
		return nil
	case `"+Inf"`:
		*f = jsonFloat(math.Inf(1))
		return nil
	case `"-Inf"`:
		*f = jsonFloat(math.Inf(-1))
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = jsonFloat(v)
	return nil
}

func toJSONFloats(xs []float64) []jsonFloat {
	if xs == nil {
		return nil
	}
	out := make([]jsonFloat, len(xs))
	for i, x := range xs {
		out[i] = jsonFloat(x)
	}
	return out
}

func fromJSONFloats(xs []jsonFloat) []float64 {
	if xs == nil {
		return nil
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// sweepRunJSON is SweepRun as it is written: the same fields, with the
// non-finite values of a diverged run as strings.
type sweepRunJSON struct {
	Depth      int         `json:"depth"`
	Init       string      `json:"init"`
	Activation string      `json:"activation"`
	Optimizer  Optimizer   `json:"optimizer"`
	Seed       int         `json:"seed"`
	SpeedsInit []jsonFloat `json:"speeds_init"`
	SpeedsEnd  []jsonFloat `json:"speeds_end"`
	RatioInit  jsonFloat   `json:"ratio_first_last_init"`
	RatioEnd   jsonFloat   `json:"ratio_first_last_end"`
	CostInit   jsonFloat   `json:"cost_init"`
	Cost       jsonFloat   `json:"cost"`
	Accuracy   jsonFloat   `json:"accuracy"`
	Diverged   bool        `json:"diverged"`
}

// MarshalJSON writes the run with the field names of its struct tags; NaN
// and ±Inf, which encoding/json cannot write as numbers, become the strings
// "NaN", "+Inf" and "-Inf".
func (r SweepRun) MarshalJSON() ([]byte, error) {
	return json.Marshal(sweepRunJSON{r.Depth, r.Init, r.Activation, r.Optimizer, r.Seed,
		toJSONFloats(r.SpeedsInit), toJSONFloats(r.SpeedsEnd), jsonFloat(r.RatioInit), jsonFloat(r.RatioEnd),
		jsonFloat(r.CostInit), jsonFloat(r.Cost), jsonFloat(r.Accuracy), r.Diverged})
}

// UnmarshalJSON reads what MarshalJSON writes, bit for bit.
func (r *SweepRun) UnmarshalJSON(b []byte) error {
	var j sweepRunJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = SweepRun{j.Depth, j.Init, j.Activation, j.Optimizer, j.Seed,
		fromJSONFloats(j.SpeedsInit), fromJSONFloats(j.SpeedsEnd), float64(j.RatioInit), float64(j.RatioEnd),
		float64(j.CostInit), float64(j.Cost), float64(j.Accuracy), j.Diverged}
	return nil
}
