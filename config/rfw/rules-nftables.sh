#!/bin/sh
# UTM5-TS sample: registers a firewall and the firewall rules of the nftables sample in the core, with
# utm5_urfaclient (its action scripts put_router and add_fwrule_new, i.e. rpcf_put_router / rpcf_add_fwrule_new).
#   config/rfw/rules-nftables.sh [rfw_name]     (urfaclient's -h/-l/-P come from utm5_urfaclient.cfg)
# Events are mask bits (rpcf_get_fw_events lists them): 1 = Turn Internet on, 2 = Turn Internet off.
# flags 1 = all users; router_id 0 = every firewall (give the firewall's id to bind a rule to one).
# Templates name their program: utm5_rfw runs them with no firewall_path and no shell; each variable (UIP: the
# IP group's address) is replaced inside its word, so a value is always one argument.
set -eu
URFA=${URFA:-bin/utm5_urfaclient}
NAME=${1:-router-1}

# router_type 0 = local (utm5_rfw runs the commands itself); router_ip is the firewall's NAME = rfw_name.
"$URFA" -a put_router -router_id 0 -router_type 0 -router_ip "$NAME" -login '' -password '' \
	-router_comments 'nftables sample' -router_bin_ip 0.0.0.0

"$URFA" -a add_fwrule_new -flags 1 -events 1 -router_id 0 -tariff_id 0 -group_id 0 -user_id 0 \
	-rule '/usr/sbin/nft add element inet utm5 allowed { UIP }' -comment 'Internet on: allow the address'
"$URFA" -a add_fwrule_new -flags 1 -events 2 -router_id 0 -tariff_id 0 -group_id 0 -user_id 0 \
	-rule '/usr/sbin/nft delete element inet utm5 allowed { UIP }' -comment 'Internet off: drop the address'
