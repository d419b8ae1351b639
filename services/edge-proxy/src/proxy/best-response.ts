// Choosing the response a forking proxy sends upstream once every branch has a final
// response (RFC 3261 §16.7 steps 6 and 7).

import { editMessage, type SipResponse } from "@switchboard/sip";

/** RFC 3261 §16.7 step 6: 4xx answers that tell the caller how to succeed come first. */
const PREFERRED_4XX: ReadonlySet<number> = new Set([401, 407, 415, 420, 484]);

const classOf = (status: number): number => Math.floor(status / 100);

/**
 * RFC 3261 §16.7 step 6: the index of the best of the final responses collected, in
 * the order they arrived. A 6xx if there is one, else a 2xx, else one of the lowest
 * class; within 4xx, 401, 407, 415, 420 and 484 are preferred; otherwise the earliest.
 */
export function bestResponseIndex(statuses: readonly number[]): number {
  if (statuses.length === 0) throw new RangeError("no final response to choose from");
  let best = 0;
  for (let i = 1; i < statuses.length; i++) {
    if (isBetter(statuses[i] as number, statuses[best] as number)) best = i;
  }
  return best;
}

/** Lower is better: 6xx, then 2xx, then 3xx, 4xx, 5xx. */
function rank(status: number): number {
  const responseClass = classOf(status);
  if (responseClass === 6) return 0;
  if (responseClass === 2) return 1;
  return responseClass;
}

/** True when `candidate` beats `current` (ties keep the earlier one). */
function isBetter(candidate: number, current: number): boolean {
  const candidateRank = rank(candidate);
  const currentRank = rank(current);
  if (candidateRank !== currentRank) return candidateRank < currentRank;
  return classOf(candidate) === 4 && PREFERRED_4XX.has(candidate) && !PREFERRED_4XX.has(current);
}

const CHALLENGE_HEADERS = ["WWW-Authenticate", "Proxy-Authenticate"];

/**
 * RFC 3261 §16.7 step 7: a 401 or 407 going upstream carries the challenges of every
 * other 401 and 407 received in the same context, unchanged, so that the caller can
 * answer all of them at once.
 */
export function mergeChallenges(best: SipResponse, others: readonly SipResponse[]): SipResponse {
  if (best.status !== 401 && best.status !== 407) return best;
  const editor = editMessage(best);
  for (const other of others) {
    if (other === best || (other.status !== 401 && other.status !== 407)) continue;
    for (const field of other.headers) {
      const name = CHALLENGE_HEADERS.find(
        (header) => header.toLowerCase() === field.name.toLowerCase(),
      );
      if (name !== undefined) editor.addHeader(name, field.value);
    }
  }
  return editor.toMessage();
}
