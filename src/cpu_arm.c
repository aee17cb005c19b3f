/* AArch64 feature detection through the kernel's HWCAP bits. */
#include "cpu.h"

#define AF_HWCAP_ASIMD (1ul << 1) /* <asm/hwcap.h> HWCAP_ASIMD, fixed by the Linux ABI */

af_cpu af_cpu_from_arm_hwcap(unsigned long hwcap)
{
    af_cpu c = {0};
    c.asimd = (hwcap & AF_HWCAP_ASIMD) != 0;
    return c;
}

#if defined(__aarch64__)
#include <sys/auxv.h>

af_cpu af_cpu_detect(void)
{
    return af_cpu_from_arm_hwcap(getauxval(AT_HWCAP));
}
#elif !defined(__x86_64__) && !defined(__i386__)
/* Any other architecture: portable scalar kernels only. */
af_cpu af_cpu_detect(void)
{
    const af_cpu none = {0};
    return none;
}
#endif
