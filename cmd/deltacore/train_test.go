package main

import "testing"

func TestSplitTraining(t *testing.T) {
	for _, c := range []struct {
		n, ntrain, validation, want int
		ok                          bool
	}{
		{60000, 0, 0, 60000, true},
		{60000, 50000, 0, 50000, true},
		{60000, 0, 10000, 50000, true}, // the book's split
		{60000, 50000, 10000, 50000, true},
		{60000, 1000, 10000, 1000, true},
		{60000, 50001, 10000, 0, false}, // would train on validation images
		{60000, 60001, 0, 0, false},
		{60000, -1, 0, 0, false},
		{60000, 0, -1, 0, false},
		{60000, 0, 60000, 0, false}, // nothing left to train on
	} {
		got, err := splitTraining(c.n, c.ntrain, c.validation)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("splitTraining(%d, %d, %d) = %d, %v; want %d (ok %v)", c.n, c.ntrain, c.validation, got, err, c.want, c.ok)
		}
	}
}
