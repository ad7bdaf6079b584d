import { emptyFlow } from '../flow';
import type { RawFlow } from '../raw/format';

/** 2023-11-14 22:13:20 UTC, unix ms: the time the raw file fixtures are built around. */
export const RAW_T = 1_700_000_000_000;

/** One plausible classified TCP flow (HTTPS download of 1 MiB); tests override what they look at. */
export function rawFlow(over: Partial<RawFlow> = {}): RawFlow {
  return {
    ...emptyFlow(),
    srcAddr: '10.0.0.1',
    dstAddr: '192.0.2.7',
    nextHop: '10.0.0.254',
    srcPort: 40000,
    dstPort: 443,
    protocol: 6,
    tos: 0,
    tcpFlags: 0x1b,
    inIf: 2,
    outIf: 3,
    srcAs: 64512,
    dstAs: 15169,
    srcMask: 24,
    dstMask: 16,
    bytes: 1_048_576,
    packets: 800,
    start: RAW_T - 60_000,
    end: RAW_T - 1_000,
    tclass: 2,
    provider: '10.0.1.1',
    accountId: 7,
    slinkId: 9,
    ...over,
  };
}
