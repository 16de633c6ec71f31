# What a Lochs state root makes outside itself: its nftables tables
# (netplane/firewall.h; kept while it has a network, lochs0 included) and,
# for the default network, the lochs0 bridge, one per host. Tests that run
# jails call hostnet_begin before the first one and hostnet_end ROOT... when
# they end, so nothing of theirs outlives them. Needs $LOCHS.
HAD_LOCHS0=0
hostnet_begin() {
	HAD_LOCHS0=0
	ip link show lochs0 >/dev/null 2>&1 && HAD_LOCHS0=1
	return 0
}
hostnet_end() {
	for r in "$@"; do
		[ -f "$r/lochs.db" ] || continue
		fw=$("$LOCHS" --root "$r" info 2>/dev/null | sed -n 's/^Firewall Table: //p')
		[ -z "$fw" ] || { nft delete table $fw; nft delete table ip6 ${fw#ip }; } 2>/dev/null || true
	done
	[ "$HAD_LOCHS0" = 1 ] || ip link del lochs0 2>/dev/null || true
}
