#!/bin/sh
# UTM5-TS sample: Dynashape bandwidth per customer address with tc HTB, as firewall rules of the core (see
# rules-nftables.sh for how to run it). The customer's download (incoming bandwidth) is shaped on the egress of the
# interface towards the customers (DEV_IN, qdisc 1: made by flush.sh), the upload on the upstream one (DEV_OUT, 2:).
# One HTB class and one u32 filter per service link: class 1:SLINK_ID and filter handle 800::SLINK_ID. tc reads both
# numbers as hex, so distinct link ids give distinct classes and filters up to id 999 (the u32 node is 12 bits);
# above that, run the commands through a script that converts the id. A link with several IP groups needs a
# class per group: then key them by an id of your own (a script). Set and edit replace the class and the filter (replace is idempotent, so a sync replay is harmless); delete
# removes the filter, then the class (rules of one event run in rule id order).
# Event bits: 2^24 set in, 2^25 edit in, 2^26 delete in, 2^27 set out, 2^28 edit out, 2^29 delete out.
set -eu
URFA=${URFA:-bin/utm5_urfaclient}
DEV_IN=${DEV_IN:-eth1}
DEV_OUT=${DEV_OUT:-eth0}
TC=/usr/sbin/tc
rule() { # events template comment
	"$URFA" -a add_fwrule_new -flags 1 -events "$1" -router_id 0 -tariff_id 0 -group_id 0 -user_id 0 \
		-rule "$2" -comment "$3"
}
IN_SET=$((16777216 + 33554432))
OUT_SET=$((134217728 + 268435456))
rule $IN_SET "$TC class replace dev $DEV_IN parent 1: classid 1:SLINK_ID htb rate IN_BANDWIDTH_KBITSkbit" \
	'download limit: class'
rule $IN_SET "$TC filter replace dev $DEV_IN parent 1: protocol ip prio 10 handle 800::SLINK_ID u32 match ip dst UIP/32 flowid 1:SLINK_ID" \
	'download limit: filter'
rule 67108864 "$TC filter del dev $DEV_IN parent 1: protocol ip prio 10 handle 800::SLINK_ID u32" \
	'download limit removed: filter'
rule 67108864 "$TC class del dev $DEV_IN classid 1:SLINK_ID" 'download limit removed: class'
rule $OUT_SET "$TC class replace dev $DEV_OUT parent 2: classid 2:SLINK_ID htb rate OUT_BANDWIDTH_KBITSkbit" \
	'upload limit: class'
rule $OUT_SET "$TC filter replace dev $DEV_OUT parent 2: protocol ip prio 10 handle 800::SLINK_ID u32 match ip src UIP/32 flowid 2:SLINK_ID" \
	'upload limit: filter'
rule 536870912 "$TC filter del dev $DEV_OUT parent 2: protocol ip prio 10 handle 800::SLINK_ID u32" \
	'upload limit removed: filter'
rule 536870912 "$TC class del dev $DEV_OUT classid 2:SLINK_ID" 'upload limit removed: class'
