/* z = a + b over n floats, built -O3 -march=native (stream_add.c); z may equal a or b. */
#ifndef AFB_STREAM_ADD_H
#define AFB_STREAM_ADD_H

#include <stddef.h>

void afb_stream_add(const float *a, const float *b, float *z, size_t n);

#endif /* AFB_STREAM_ADD_H */
