# Generates the dispatch table (C) from abi/syscalls.tbl.
BEGIN { print "/* Generated from translator/abi/syscalls.tbl by gentable.awk. Do not edit. */"
        print "#include \"trap/dispatch.h\"" }
/^#/ || NF == 0 { next }
NF != 5 { printf "syscalls.tbl:%d: expected 5 columns, got %d\n", NR, NF > "/dev/stderr"; bad = 1; exit 1 }
{
	num[++n] = $1; name[n] = $2; args[n] = $3; fn[n] = $5
	if ($5 != "-" && !($5 in seen)) { seen[$5] = 1; printf "long %s(struct sysctx *);\n", $5 }
}
END {
	if (bad) exit 1
	print "const struct sysent systable[SYSTABLE_SIZE] = {"
	for (i = 1; i <= n; i++)
		printf "\t[%s] = { \"%s\", \"%s\", %s },\n", num[i], name[i], args[i], fn[i] == "-" ? "0" : fn[i]
	print "};"
}
