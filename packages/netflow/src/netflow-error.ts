export type NetflowErrorReason = 'truncated' | 'version' | 'count' | 'set_length' | 'template' | 'field_length';

/** A packet that cannot be decoded; the collector counts it by reason and drops it. */
export class NetflowError extends Error {
  constructor(
    readonly reason: NetflowErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'NetflowError';
  }
}
