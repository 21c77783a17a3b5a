package deltacore

// gemvNGeneric sets y[i] += alpha * Σ_j a[i*lda+j]*x[j] for i < m, j < n:
// one float32 dot product per row (dotGeneric), scaled once by alpha.
// Error within 2·(n+1)·2⁻²⁴·(|alpha|·Σ_j|a_ij·x_j| + |y_i|) (plus
// underflow), Sgemv's bound.
//
// Preconditions: m, n ≥ 1, lda ≥ n, len(a) ≥ (m−1)·lda+n, len(x) ≥ n,
// len(y) ≥ m; y overlaps neither a nor x.
func gemvNGeneric(m, n int, alpha float32, a []float32, lda int, x, y []float32) {
	x = x[:n]
	y = y[:m]
	for i := range y {
		y[i] += alpha * dotGeneric(a[i*lda:i*lda+n], x)
	}
}

// gemvTGeneric sets y[j] += Σ_i (alpha*x[i]) * a[i*lda+j] for j < n, adding
// the rows i < m in order (one axpy per row). Error within
// 2·(m+1)·2⁻²⁴·(|alpha|·Σ_i|a_ij·x_i| + |y_j|) (plus underflow).
//
// Preconditions: m, n ≥ 1, lda ≥ n, len(a) ≥ (m−1)·lda+n, len(x) ≥ m,
// len(y) ≥ n; y overlaps neither a nor x.
func gemvTGeneric(m, n int, alpha float32, a []float32, lda int, x, y []float32) {
	y = y[:n]
	for i, v := range x[:m] {
		axpyGeneric(alpha*v, a[i*lda:i*lda+n], y)
	}
}
