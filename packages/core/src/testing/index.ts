export { testCore, INIT, type TestCore } from './core-fixture';
export { smtpSink, parseMail, type SmtpSink, type ReceivedMail } from './smtp-sink';
