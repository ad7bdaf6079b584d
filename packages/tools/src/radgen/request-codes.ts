/** A request utm5_radgen can send (-c), with the port it goes to by default and the replies it expects. */
export interface RequestKind {
  readonly code: number;
  readonly name: string;
  readonly port: number;
  /** Whether its Request Authenticator is random (-f applies, User-Password can be hidden with it). */
  readonly randomAuthenticator: boolean;
  /** Reply codes that answer it positively (exit 0). */
  readonly ok: readonly number[];
  /** Reply codes that answer it negatively (printed, exit 1). */
  readonly refused: readonly number[];
}

/** RFC 2865, 2866 (accounting), 5997 (Status-Server) and 5176 (Disconnect, CoA). */
export const REQUEST_KINDS: readonly RequestKind[] = [
  { code: 1, name: 'Access-Request', port: 1812, randomAuthenticator: true, ok: [2], refused: [3, 11] },
  { code: 4, name: 'Accounting-Request', port: 1813, randomAuthenticator: false, ok: [5], refused: [] },
  { code: 12, name: 'Status-Server', port: 1812, randomAuthenticator: true, ok: [2, 5], refused: [] },
  { code: 40, name: 'Disconnect-Request', port: 3799, randomAuthenticator: false, ok: [41], refused: [42] },
  { code: 43, name: 'CoA-Request', port: 3799, randomAuthenticator: false, ok: [44], refused: [45] },
];

/** -c: a code number (the manual's form) or a name such as Accounting-Request (any case). */
export function requestKind(v: string): RequestKind | undefined {
  return REQUEST_KINDS.find((k) => String(k.code) === v || k.name.toLowerCase() === v.toLowerCase());
}

export const REQUEST_KIND_LIST = REQUEST_KINDS.map((k) => `${k.code} ${k.name}`).join(', ');
