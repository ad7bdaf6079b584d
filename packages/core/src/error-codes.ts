import { BillingErrorCodes } from './billing/billing-error';

/**
 * The catalogue of error codes raised by @utm5/core: the billing refusals URFA callers see, and the startup and
 * administration errors. The classes that raise them live beside the code that detects the situation.
 */
export const CoreErrorCodes = {
  ...BillingErrorCodes,
  UTM_LISTEN: 'a listener cannot bind its address and port',
  UTM_TLS_PARTIAL: 'only one of ssl_cert_file and ssl_privkey_file is set',
  UTM_TLS_BAD: 'the TLS certificate and private key cannot be used together',
  UTM_URFA_DUPLICATE: 'two URFA functions are declared with the same id or name',
  UTM_URFA_UNKNOWN_FUNCTION: 'an in-process URFA call names no function the core serves',
  UTM_URFA_FORBIDDEN: 'the principal of an in-process URFA call may not call the function',
  UTM_URFA_BAD_INPUT: 'an in-process URFA call has an input the function does not take, or lacks one it needs',
  UTM_MAIL_NOT_FOUND: 'no mail in the outbox has this id',
  UTM_INVOICE: 'an invoice cannot be made, found or removed as asked',
  UTM_INVOICE_RULE: 'an invoice aggregation rule names an unknown field',
  UTM_DOCUMENT: 'a document or template cannot be rendered, stored or found as asked',
  UTM_SCHEDULE_BAD: 'a system service schedule cannot be parsed',
  UTM_SCHEDULER_DUP: 'a system service is declared twice',
  UTM_SCHEDULER_UNKNOWN: 'no system service has this name',
  UTM_SCHEDULER_DAEMON: 'the system service is a daemon and cannot be scheduled',
  UTM_SCHEDULER_KIND: 'a system service cannot change between daemon and scheduled',
  UTM_STREAM_BAD_RECORD: 'a Stream record lacks a field or has one outside what it allows',
  UTM_SYSPARAM_UNKNOWN: 'no system parameter has this name',
  UTM_SYSUSER_BAD: 'a system user field is outside what it allows',
  UTM_SYSUSER_EXISTS: 'a system user with this login exists',
  UTM_SYSUSER_NOT_FOUND: 'no such system user or system group',
  UTM_SYSUSER_PROTECTED: 'the system user cannot be removed',
} as const;

export type CoreErrorCode = keyof typeof CoreErrorCodes;
