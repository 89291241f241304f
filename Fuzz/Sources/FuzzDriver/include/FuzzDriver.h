#ifndef FUZZ_DRIVER_H
#define FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver (command line, corpus, mutations) on `test`. SwiftPM links an executable
/// target's `main` to `<module>_main`, so each target defines that and calls this instead of relying
/// on libFuzzer's own `main`.
int fuzz_run_driver(int argc, char **argv, int (*test)(const uint8_t *data, size_t size));

#endif
