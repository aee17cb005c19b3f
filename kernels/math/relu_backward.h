/*
 * ReLU backward: dx = x > 0 ? dy : +0.0 (PyTorch's threshold_backward: the
 * gradient at x == 0 is 0); a NaN x comes back with its own bits. A NaN dy
 * passes where x > 0 and is a hard zero elsewhere. No arithmetic, so no
 * rounding and no NaN of its own.
 */
static AF_ALWAYS_INLINE af_vf relu_backward_vec_nonnan(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    return vf_keep_where(vf_gt(x, vf_zero()), dy);
}

static AF_ALWAYS_INLINE af_vf relu_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    return vf_sel(vf_isnan(x), x, relu_backward_vec_nonnan(x, dy, k));
}
