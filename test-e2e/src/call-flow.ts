// The call flows the tests repeat: user agents for a stack's subscribers, and one complete
// call between two registered users (RFC 3261 §13, §15 through a record-routing proxy).

import assert from "node:assert/strict";
import { after, before } from "node:test";
import type { SipRequest, SipResponse } from "@switchboard/sip";
import { printServiceOutputOnFailure } from "./failure-log.js";
import { Stack, type StackOptions } from "./stack.js";
import { addWithSbctl, type Subscriber, USER_1000, USER_1001 } from "./subscribers.js";
import { TestUa, type UaOptions } from "./ua.js";
import type { IncomingCall } from "./ua-incoming-call.js";
import type { OutgoingCall } from "./ua-outgoing-call.js";

/** The user agents a test file opened, closed together at its end. */
export class UaPool {
  readonly #stack: () => Stack;
  readonly #open = new Set<TestUa>();

  constructor(stack: () => Stack) {
    this.#stack = stack;
  }

  /** A UA for `subscriber` (its password, the stack's domain) talking to the stack's proxy. */
  async open(
    subscriber: Pick<Subscriber, "username" | "password">,
    options: Partial<UaOptions> = {},
  ) {
    const stack = this.#stack();
    const ua = await TestUa.open({
      user: subscriber.username,
      password: subscriber.password,
      domain: stack.domain,
      proxy: stack.sip,
      ...options,
    });
    this.#open.add(ua);
    return ua;
  }

  /** A UA registered with its password (asserting the 200). */
  async registered(subscriber: Subscriber, options: Partial<UaOptions> = {}): Promise<TestUa> {
    const ua = await this.open(subscriber, options);
    const { response } = await ua.register();
    assert.equal(
      response.status,
      200,
      `REGISTER of ${subscriber.username}: ${response.status} ${response.reason}`,
    );
    return ua;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map((ua) => ua.close()));
    this.#open.clear();
  }
}

/** What each side saw of a completed call. */
export interface CompletedCall {
  readonly call: OutgoingCall;
  readonly incoming: IncomingCall;
  /** The 2xx the caller received. */
  readonly ok: SipResponse;
  /** The ACK and BYE as they reached the callee. */
  readonly ackAtCallee: SipRequest;
  readonly byeAtCallee: SipRequest;
  /** The final response to the BYE at the caller. */
  readonly byeResponse: SipResponse;
}

/**
 * `caller` calls `callee` (both registered): INVITE → 407 → authenticated INVITE → 180 →
 * 200 → ACK → BYE → 200. Asserts each step and returns what both sides saw.
 */
export async function completeCall(caller: TestUa, callee: TestUa): Promise<CompletedCall> {
  const call = await caller.invite(`sip:${callee.user}@${callee.domain}`);
  assert.equal(call.challenge?.status, 407, "the first INVITE must be challenged with 407");
  const incoming = await callee.incomingCall();
  incoming.ring();
  await call.status(180);
  const acked = incoming.answer();
  acked.catch(() => undefined);
  const ok = await call.final();
  assert.equal(ok.status, 200, `the call must be answered 200, got ${ok.status} ${ok.reason}`);
  await call.ack();
  const ackAtCallee = await acked;
  const byeArrives = incoming.bye();
  byeArrives.catch(() => undefined);
  const byeResponse = await call.bye();
  assert.equal(byeResponse.status, 200, `BYE: ${byeResponse.status} ${byeResponse.reason}`);
  return { call, incoming, ok, ackAtCallee, byeAtCallee: await byeArrives, byeResponse };
}

/** What a call test file shares: its stack, its UAs, and users 1000 and 1001 registered. */
export interface CallSetup {
  readonly current: () => Stack;
  readonly uas: UaPool;
  /** Filled in by the file's `before` hook: 1000 (caller) and 1001 (callee), registered. */
  readonly parties: { caller: TestUa; callee: TestUa };
}

/**
 * Registers the hooks of a call test file: a stack started with `options`, users 1000 and
 * 1001 added with sbctl and registered from test UAs, everything stopped afterwards, and the
 * services' output printed when a test fails.
 */
export function useCallSetup(options: StackOptions): CallSetup {
  let stack: Stack | undefined;
  const current = (): Stack => {
    if (stack === undefined) throw new Error("the stack did not start");
    return stack;
  };
  const uas = new UaPool(current);
  const parties = {} as { caller: TestUa; callee: TestUa };
  before(async () => {
    stack = await Stack.start(options);
    await addWithSbctl(stack, [USER_1000, USER_1001]);
    [parties.caller, parties.callee] = await Promise.all([
      uas.registered(USER_1000),
      uas.registered(USER_1001),
    ]);
  });
  after(async () => {
    await uas.closeAll();
    await stack?.stop();
  });
  printServiceOutputOnFailure(() => stack);
  return { current, uas, parties };
}
