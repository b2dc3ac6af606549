#!/usr/bin/env bash
# Builds the same minimal program (one DescribeImageGenerationConfiguration call, region and
# credentials from the environment) with aws-sdk-kinesisvideo + aws-config and with the
# generated kinesis-video crate, each from clean in release, and prints build time, binary size
# and the number of crates in its tree (normal and build dependencies, Linux).
#
# A third program, `floor`, is the stack the generated client is built on (hyper's client over
# rustls with ring, tokio, serde_json, regress) with none of its code: one HTTPS request, its
# JSON answer parsed, one pattern matched. No client on that stack can build faster or be
# smaller, so its ratios are the best the generated client could reach.
#
#   bench/sdk-compare/build-compare.sh [TARGET_ROOT]
#
# TARGET_ROOT (default /tmp/sdk-compare-build) holds one target directory per program; each is
# emptied first. Dependencies are downloaded before the clock starts (`cargo fetch`); the two
# builds run one after the other, never at the same time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${1:-/tmp/sdk-compare-build}"
unset CARGO_TARGET_DIR
declare -A secs bytes crates
for which in official ours floor; do
    dir="$here/minimal/$which"
    target="$root/$which"
    rm -rf "$target"
    mkdir -p "$target"
    (cd "$dir" && cargo fetch --quiet)
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$target" cargo build --release --quiet)
    end=$(date +%s.%N)
    secs[$which]=$(echo "$end - $start" | bc)
    bytes[$which]=$(stat -c %s "$target/release/minimal-$which")
    crates[$which]=$(cd "$dir" && cargo tree -e normal,build --prefix none | sed 's/ (\*)$//' | sort -u | wc -l)
    echo "built $which in ${secs[$which]} s" >&2
done
echo "| program | clean release build | binary | crates |"
echo "| --- | --- | --- | --- |"
for which in official ours floor; do
    printf '| %s | %.1f s | %.2f MB | %s |\n' "$which" "${secs[$which]}" \
        "$(echo "${bytes[$which]} / 1000000" | bc -l)" "${crates[$which]}"
done
for which in ours floor; do
    printf '| %s / official | %.3f (%.2fx faster) | %.3f | %.3f |\n' "$which" \
        "$(echo "${secs[$which]} / ${secs[official]}" | bc -l)" \
        "$(echo "${secs[official]} / ${secs[$which]}" | bc -l)" \
        "$(echo "${bytes[$which]} / ${bytes[official]}" | bc -l)" \
        "$(echo "${crates[$which]} / ${crates[official]}" | bc -l)"
done
