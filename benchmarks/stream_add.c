/*
 * The backward ops' reference stream: z = a + b, two reads and one write per
 * float, the bytes a gradient kernel moves. The obvious loop at -O3
 * -march=native (this file's own flags, benchmarks/CMakeLists.txt): what the
 * compiler makes of a pure stream on this CPU. In place is z == b, as dx == dy.
 */
#include "stream_add.h"

void afb_stream_add(const float *a, const float *b, float *z, size_t n)
{
    for (size_t i = 0; i < n; i++)
        z[i] = a[i] + b[i];
}
