// Package study holds deltacore's gradient studies: the reproduction of
// Nielsen's chapter 5 experiment (the "speed of learning" of each hidden
// layer), and the instruments beyond it. Its functions return plain data
// (rows for CSV and JSON) and write PNG plots; cmd/deltacore drives them.
package study

import (
	"math"
	"slices"
)

// Quantile returns the p-quantile (0 ≤ p ≤ 1) of xs by linear interpolation
// between order statistics (type 7 of Hyndman and Fan, the default of R and
// NumPy). NaN values are ignored; it returns NaN when none is left.
func Quantile(xs []float64, p float64) float64 {
	s := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	if len(s) == 0 {
		return math.NaN()
	}
	slices.Sort(s)
	return quantileSorted(s, p)
}

func quantileSorted(s []float64, p float64) float64 {
	if len(s) == 1 {
		return s[0]
	}
	h := p * float64(len(s)-1)
	lo := int(math.Floor(h))
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	if lo < 0 {
		return s[0]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// Band is the median and the 5–95 % band of a sample.
type Band struct {
	Median float64 `json:"median"`
	P05    float64 `json:"p05"`
	P95    float64 `json:"p95"`
}

// BandOf returns the median, 5th and 95th percentiles of xs.
func BandOf(xs []float64) Band {
	return Band{Median: Quantile(xs, 0.5), P05: Quantile(xs, 0.05), P95: Quantile(xs, 0.95)}
}
