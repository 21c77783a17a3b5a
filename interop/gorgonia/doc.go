// Package gorgonia shows deltacore as the BLAS of gorgonia.org/tensor: its
// example and benchmark run tensor.MatMul on dcblas, and .ci/gorgonia.sh runs
// gorgonia's own tensor tests with tensor.Use(dcblas.Implementation{}) (see
// testdata/zz_dcblas_test.go). It is a module of its own so that deltacore
// does not depend on gorgonia.
package gorgonia
