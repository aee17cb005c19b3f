/* Uses every public function once; exit 0 only if each behaves as documented. */
#include <actfast.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    const float x[5] = {-2.0f, -0.0f, 0.5f, 3.0f, -1.0f};
    const float slopes[1] = {0.5f};
    float y[5];
    int bad = 0;
    bad |= actfast_relu_f32(x, y, 5) != ACTFAST_OK || y[0] != 0.0f || signbit(y[1]) || y[3] != 3.0f;
    bad |= actfast_leaky_relu_f32(x, y, 5, 0.25f) != ACTFAST_OK || y[0] != -0.5f;
    bad |= actfast_prelu_f32(x, y, 5, 1, 1, slopes) != ACTFAST_OK || y[4] != -0.5f;
    bad |= actfast_elu_f32(x, y, 5, 1.0f) != ACTFAST_OK || fabsf(y[4] - (float)expm1(-1.0)) > 1e-7f;
    bad |= actfast_relu_f32(NULL, y, 5) != ACTFAST_ERR_NULL;
    bad |= actfast_set_isa(ACTFAST_ISA_SCALAR) != ACTFAST_OK || actfast_get_isa() != ACTFAST_ISA_SCALAR;
    bad |= !actfast_isa_supported(ACTFAST_ISA_AUTO);
    bad |= strcmp(actfast_isa_name(ACTFAST_ISA_SCALAR), "scalar") != 0;
    bad |= strcmp(actfast_version(), ACTFAST_VERSION_STRING) != 0;
    printf("consumer: libactfast %s, %s (%s)\n", actfast_version(), bad ? "FAILED" : "ok",
           actfast_status_str(ACTFAST_OK));
    return bad;
}
