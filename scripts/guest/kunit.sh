# SPDX-License-Identifier: GPL-2.0
# Scenario "kunit": run every KUnit suite, unload, then look for leaks.
kmemleak_baseline
load_mm_ext
# The suites run while insmod waits; KTAP goes to the console.
echo "MM_EXT_KTAP_BEGIN"
# busybox insmod does not read /proc/cmdline: pass mm_ext_kunit.* on to it.
params=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^mm_ext_kunit\.//p')
# shellcheck disable=SC2086 # one word per parameter
insmod /modules/mm_ext_kunit.ko $params || fail "insmod mm_ext_kunit.ko"
# A module built on mm_ext holds it: rmmod must refuse, and change nothing.
if rmmod mm_ext 2>/dev/null; then
	fail "rmmod mm_ext succeeded while mm_ext_kunit uses it"
else
	echo "MM_EXT_CHECK ok: rmmod mm_ext refused while mm_ext_kunit holds it"
fi
[ -d $D ] || fail "$D vanished after a refused rmmod"
unload_all
kmemleak_check
