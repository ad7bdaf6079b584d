export { paymentToolConfig, type PaymentToolConfig } from './payment-tool/config';
export { main as paymentToolMain, PAYMENT_TOOL_EXIT } from './payment-tool/main';
export { main as flowgenMain } from './flowgen/main';
export { main as radgenMain } from './radgen/main';
export { main as getNfDirectMain } from './get-nf-direct/main';
export { sendTrafficConfig, type SendTrafficConfig } from './send-traffic/config';
export { main as sendTrafficMain, SEND_TRAFFIC_EXIT } from './send-traffic/main';
export { sendCdrConfig, type SendCdrConfig } from './send-cdr/config';
export { main as sendCdrMain, SEND_CDR_EXIT } from './send-cdr/main';
