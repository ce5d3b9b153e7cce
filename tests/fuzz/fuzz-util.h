/* fuzz-util.h: what the fuzzing harnesses share (tests/fuzz/)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each harness is one LLVMFuzzerTestOneInput() over the real code that reads what comes
 * from outside. Built with clang and -fsanitize=fuzzer (make fuzz, the fuzz suite of
 * build-fuzz), libFuzzer drives it; built with replay-main.c (the normal build), it replays
 * every file of its corpus as a test. Either way a warning or a critical from GLib ends
 * the run: a harness's oracles are GLib's checks, the sanitizers and its own asserts.
 */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int         LLVMFuzzerTestOneInput (const uint8_t *data,
                                    size_t         size);

void        fuzz_init              (void);
const char *fuzz_tmp_dir           (void);
char       *fuzz_write_temp        (const char    *name,
                                    const uint8_t *data,
                                    size_t         size);
void        fuzz_remove_db         (const char    *path);
char       *fuzz_expand            (const uint8_t *data,
                                    size_t         size,
                                    const char    *const *pairs,
                                    gsize         *length);
void        fuzz_assert_json_object (const char   *text);

G_END_DECLS
