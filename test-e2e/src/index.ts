// End-to-end harness of Switchboard: the stack as real processes, the CLI as a process, a
// test SIP user agent, and sipp/sipsak runners. Imports no service code.

export { type BackingServices, backingServices } from "./backing-services.js";
export { type CompletedCall, completeCall, UaPool } from "./call-flow.js";
export { DeadlineError, pollUntil, withDeadline } from "./deadline.js";
export { dockerEngineAnswers } from "./docker-engine.js";
export { printServiceOutputOnFailure } from "./failure-log.js";
export { freeTcpPort, freeUdpPort, LOOPBACK } from "./free-port.js";
export { OutputLog } from "./output-log.js";
export { type ProcessUsage, processUsage, udpReceiveBufferErrors } from "./proc-stats.js";
export { runSbctl, type SbctlResult, type SbctlTarget } from "./sbctl.js";
export { type ServiceName, ServiceProcess, ServiceStartError } from "./service-process.js";
export {
  describeSipp,
  type ResponseTime,
  runSipp,
  type SippOptions,
  type SippProcess,
  type SippResult,
  type SippUser,
  startSipp,
} from "./sipp.js";
export { type SipsakResult, sipsakPing, sipsakRegister } from "./sipsak.js";
export { type SipAddress, Stack, type StackOptions } from "./stack.js";
export type { LocationRow } from "./stack-databases.js";
export {
  addThroughAdminApi,
  addWithSbctl,
  type Subscriber,
  USER_1000,
  USER_1001,
} from "./subscribers.js";
export { type RegisterOutcome, TestUa, type UaOptions } from "./ua.js";
export { IncomingCall } from "./ua-incoming-call.js";
export { OutgoingCall } from "./ua-outgoing-call.js";
