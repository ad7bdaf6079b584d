import { UtmError } from '@utm5/common';

/** The catalogue of error codes raised by @utm5/rfw. */
export const RfwErrorCodes = {
  UTM_RFW_STATE: 'the state file (last command run) cannot be read or written, or belongs to another rfw_name',
} as const;

export class RfwStateError extends UtmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UTM_RFW_STATE', message, options);
  }
}
