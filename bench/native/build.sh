#!/bin/sh
# Builds the native yardstick into build/native/kernels: the system gcc, 128-bit SSE only (as wasm SIMD).
set -e
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$root/build/native"
gcc -O3 -msse4.2 -mno-avx -o "$root/build/native/kernels" "$root/bench/native/kernels.c" -lm
