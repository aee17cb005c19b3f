/*
 * clip backward: dx = lo < x < hi ? dy : +0.0, PyTorch's hardtanh_backward
 * convention (the gradient at the edges is 0: relu6'(0) = relu6'(6) = 0,
 * checked against PyTorch 1.13); a hard zero, whatever dy. A NaN x comes back
 * with its bits.
 */
static AF_ALWAYS_INLINE af_vf clip_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    const af_vm inside = vm_and(vf_gt(x, k->lo), vf_lt(x, k->hi));
    return vf_sel(vf_isnan(x), x, vf_keep_where(inside, dy));
}
