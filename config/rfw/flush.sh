#!/bin/sh
# UTM5-TS sample firewall_flush_cmd for utm5_rfw: the nftables base set and the tc root qdiscs, on every (re)connect.
#   firewall_flush_cmd=/etc/utm5/rfw/flush.sh /etc/utm5/rfw/nftables-setup.nft eth1 eth0
# $1: the nft file; $2: the interface towards the customers (their download is shaped on its egress, qdisc 1:);
# $3 (optional): the upstream interface (their upload is shaped on its egress, qdisc 2:).
# HTB's default class 0xffff does not exist, so unclassified traffic passes unshaped. Replacing the root qdisc drops
# every per-customer class: use sync_flags=enable:shaping so the core re-queues the limits in force.
set -eu
NFT=${NFT:-/usr/sbin/nft}
TC=${TC:-/usr/sbin/tc}
"$NFT" -f "$1"
if [ -n "${2:-}" ]; then
	"$TC" qdisc replace dev "$2" root handle 1: htb default 0xffff
fi
if [ -n "${3:-}" ]; then
	"$TC" qdisc replace dev "$3" root handle 2: htb default 0xffff
fi
