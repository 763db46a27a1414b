#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's table of control commands is made from mm_ext_commands.h,
# the same list the parser is built from.
#   scripts/readme-commands.sh --write   rewrite the table in README.md
#   scripts/readme-commands.sh --check   fail unless the README's table is
#       the list's, and every command the README shows being written to
#       control ("echo "OBJECT VERB ..." > control") is in the list
set -euo pipefail
. "$(dirname "$0")/lib.sh"
mode=${1:---check}
cd "$MM_EXT_TOP"
begin='<!-- commands: made from mm_ext_commands.h by scripts/readme-commands.sh --write -->'
end='<!-- end of commands -->'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each MM_EXT_CMD() becomes a table row; handlers and key lists are not needed.
cat > "$tmp/gen.c" <<'C'
#include <stdio.h>
#define MM_EXT_CMD(o, v, args, pos, keys, opts, fn, help) \
	printf("| `%s %s %s` | %s |\n", #o, #v, args, help);
int main(void)
{
	printf("| command | what it does |\n|---|---|\n");
#include "mm_ext_commands.h"
	return 0;
}
C
gcc -I. -o "$tmp/gen" "$tmp/gen.c" || die "cannot build the command list"
"$tmp/gen" > "$tmp/table"
# The command words alone, "OBJECT VERB", one a line.
sed -n 's/^| `\([a-z]*\) \([a-z]*\) .*/\1 \2/p' "$tmp/table" | sort -u > "$tmp/cmds"

grep -qF -- "$begin" README.md && grep -qF -- "$end" README.md ||
	die "README.md has no command table markers ($begin ... $end)"
awk -v b="$begin" -v e="$end" -v t="$tmp/table" '
	$0 == b { print; while ((getline l < t) > 0) print l; skip = 1; next }
	$0 == e { skip = 0 }
	!skip' README.md > "$tmp/README.md"

case $mode in
--write)
	cp "$tmp/README.md" README.md
	log "README.md: command table written ($(wc -l < "$tmp/cmds") commands)"
	;;
--check)
	status=0
	if ! diff -u README.md "$tmp/README.md" >&2; then
		log "README.md's command table differs from mm_ext_commands.h (run $0 --write)"
		status=1
	fi
	# Every command the README writes to control must exist.
	grep -o 'echo "[a-z]* [a-z]*[ "][^>]*> *[^ `]*control' README.md |
		sed 's/^echo "\([a-z]*\) \([a-z]*\).*/\1 \2/' | sort -u > "$tmp/used" || true
	while read -r cmd; do
		grep -qxF "$cmd" "$tmp/cmds" || {
			log "README.md writes \"$cmd\" to control: no such command"; status=1; }
	done < "$tmp/used"
	[ $status -eq 0 ] && log "README.md: every command documented, every documented command exists"
	exit $status
	;;
*)
	die "usage: $0 --write|--check"
	;;
esac
