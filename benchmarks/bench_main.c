/*
 * actfast-bench: libactfast's kernels against the reference streams (memcpy,
 * add2), plain C loops and the peer libraries this build found. Takes Google Benchmark's flags; see
 * `actfast-bench --help` and scripts/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actfast.h"
#include "bench_contenders.h"
#include "bench_shim.h"

#if defined(AFB_WITH_ONEDNN)
/*
 * oneDNN must run on one thread. Its OpenMP runtime (libgomp) reads
 * OMP_NUM_THREADS once, when it is loaded, which is before main(): setenv()
 * here would come too late. So the process re-executes itself once with the
 * variable set.
 */
static void single_threaded_openmp(char **argv)
{
    const char *v = getenv("OMP_NUM_THREADS");
    if (v && strcmp(v, "1") == 0)
        return;
    if (v)
        fprintf(stderr, "actfast-bench: OMP_NUM_THREADS=%s replaced by 1: every contender runs on one thread\n", v);
    setenv("OMP_NUM_THREADS", "1", 1);
    execv("/proc/self/exe", argv);
    perror("actfast-bench: cannot re-execute with OMP_NUM_THREADS=1; oneDNN may use several threads");
}
#endif

/* "model name" from /proc/cpuinfo, with the family and model numbers that tell generations apart. */
static void describe_cpu(char *out, size_t size)
{
    snprintf(out, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[256], name[128] = "", family[16] = "", model[16] = "";
    while (fgets(line, sizeof line, f) && !(name[0] && family[0] && model[0])) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *value = colon + 1 + (colon[1] == ' ');
        value[strcspn(value, "\n")] = '\0';
        if (!name[0] && strncmp(line, "model name", 10) == 0)
            snprintf(name, sizeof name, "%s", value);
        else if (!family[0] && strncmp(line, "cpu family", 10) == 0)
            snprintf(family, sizeof family, "%s", value);
        else if (!model[0] && strncmp(line, "model\t", 6) == 0)
            snprintf(model, sizeof model, "%s", value);
    }
    fclose(f);
    if (name[0] && family[0])
        snprintf(out, size, "%s (family %s, model %s)", name, family, model);
    else if (name[0])
        snprintf(out, size, "%s", name);
}

/* Appends `word` to the space-separated list in buf. */
static void append_word(char *buf, size_t size, const char *word)
{
    const size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s%s", len ? " " : "", word);
}

/*
 * What report.py needs to lay out the tables: the ops (and which of them are
 * backward, compared with add2 rather than memcpy), the ISAs, the one "auto"
 * picks, the peers.
 */
static void add_context(const afb_contender *const *peers, size_t npeers)
{
    char buf[1024] = "", backward[1024] = "";
    describe_cpu(buf, sizeof buf);
    afb_add_context("cpu_model", buf);
    afb_add_context("actfast_version", actfast_version());
    buf[0] = '\0';
    for (size_t i = 0; i < afb_op_count; i++) {
        if (afb_ops[i].form == AFB_COPY || afb_ops[i].form == AFB_ADD2)
            continue;
        append_word(buf, sizeof buf, afb_ops[i].name);
        if (afb_form_backward(afb_ops[i].form))
            append_word(backward, sizeof backward, afb_ops[i].name);
    }
    afb_add_context("ops", buf);
    afb_add_context("backward_ops", backward);
    buf[0] = '\0';
    for (size_t i = 0; i < afb_actfast_isa_count; i++)
        append_word(buf, sizeof buf, afb_actfast_isas[i].name);
    afb_add_context("actfast_isas", buf);
    actfast_set_isa(ACTFAST_ISA_AUTO);
    afb_add_context("actfast_auto_isa", actfast_isa_name(actfast_get_isa()));
    buf[0] = '\0';
    for (size_t i = 0; i < npeers; i++)
        append_word(buf, sizeof buf, peers[i]->name);
    afb_add_context("peers", buf);
#if defined(AFB_WITH_ONEDNN)
    afb_add_context("onednn_version", afb_onednn_version());
#endif
#if defined(AFB_WITH_ATEN)
    afb_add_context("aten_version", afb_aten_version());
    afb_add_context("aten_cpu_capability", afb_aten_capability());
#endif
}

int main(int argc, char **argv)
{
#if defined(AFB_WITH_ONEDNN)
    single_threaded_openmp(argv);
#endif
    static const afb_contender *const peers[] = {
#if defined(AFB_WITH_XNNPACK)
        &afb_xnnpack,
#endif
#if defined(AFB_WITH_ONEDNN)
        &afb_onednn,
#endif
#if defined(AFB_WITH_ATEN)
        &afb_aten,
#endif
        NULL,
    };
    const size_t npeers = sizeof peers / sizeof peers[0] - 1;

    /* Every ISA, auto, plain C, memcpy, add2, and the peers. */
    const afb_contender *all[ACTFAST_ISA_COUNT + 5 + sizeof peers / sizeof peers[0]];
    size_t count = 0;
    for (size_t i = 0; i < afb_actfast_isa_count; i++)
        all[count++] = &afb_actfast_isas[i];
    all[count++] = &afb_actfast_auto;
    all[count++] = &afb_plain_c;
    all[count++] = &afb_memcpy;
    all[count++] = &afb_c_native;
    for (size_t i = 0; i < npeers; i++)
        all[count++] = peers[i];

    /* Line-buffered even into a pipe or a log, so that progress shows while it runs. */
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
    add_context(peers, npeers);
    afb_register_cases(all, count);
    return afb_run(&argc, argv);
}
