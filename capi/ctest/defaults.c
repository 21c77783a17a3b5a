// defaults: bad calls with the library's own (weak) handlers, which print
// the reference messages on stderr and return; the process goes on and
// exits 0. .ci/capi.sh checks the messages.
#include <stdio.h>

#include "deltacore.h"

int main(void) {
	float a[4] = {0}, b[4] = {0}, c[4] = {0};
	int m = 2, two = 2, one = 1;
	float alpha = 1, beta = 0;
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, -1, 2, 2, 1, a, 2, b, 2, 0, c, 2);
	cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, NULL, 2, 0, c, 2);
	cblas_sgemv(CblasRowMajor, 42, 2, 2, 1, a, 2, b, 1, 0, c, 1);
	sgemm_("N", "N", &m, &two, &two, &alpha, a, &one, b, &two, &beta, c, &two, 1, 1);
	printf("still running\n");
	return 0;
}
