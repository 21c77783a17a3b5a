#include <stdio.h>
#include "deltacore.h"

int main(void) {
	float a[2 * 3] = {1, 2, 3, 4, 5, 6};    /* 2×3, row-major */
	float b[3 * 2] = {7, 8, 9, 10, 11, 12}; /* 3×2 */
	float c[2 * 2], z[2] = {0, 1}, s[2];
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3,
	            1.0f, a, 3, b, 2, 0.0f, c, 2);        /* c = a·b */
	if (deltacore_sigmoid(s, z, 2) != 0) return 1;  /* s = σ(z) */
	printf("c = [%g %g; %g %g]\n", c[0], c[1], c[2], c[3]);
	printf("sigmoid(0, 1) = %.4f %.4f\n", s[0], s[1]);
	return 0;
}
