# SPDX-License-Identifier: GPL-2.0
# Scenario "kunit": run every KUnit suite, unload, then look for leaks.
kmemleak_baseline
load_mm_ext
# The suites run while insmod waits; KTAP goes to the console.
echo "MM_EXT_KTAP_BEGIN"
insmod /modules/mm_ext_kunit.ko || fail "insmod mm_ext_kunit.ko"
unload_all
kmemleak_check
