import type { BillingEvents } from './billing-events';

/** What a module that raises events holds of the bus: emit only (who listens is the composition root's business). */
export type EventSink = Pick<BillingEvents, 'emit'>;

/** For a module built without the core's bus (unit tests, tools): nobody listens. */
export const NO_LISTENERS: EventSink = { emit: async () => undefined };
