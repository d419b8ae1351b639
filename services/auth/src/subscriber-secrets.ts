// What is stored for a subscriber's password: the HA1s of every supported hash, and
// the password itself only when the deployment computes HA1s at verification time
// (AUTH_CALCULATE_HA1, SER's calculate_ha1). The realm is the domain, lower-cased.

import { computeHa1 } from "@switchboard/sip";

export interface SubscriberSecrets {
  /** The plain password, or "" when it is not kept. */
  readonly password: string;
  /** MD5(username:realm:password), RFC 2617 §3.2.2.2. */
  readonly ha1: string;
  /** MD5(username@domain:realm:password), Kamailio's ha1b for UAs sending user@domain. */
  readonly ha1b: string;
  /** SHA-256(username:realm:password), RFC 7616 §3.4.2. */
  readonly ha1Sha256: string;
}

export function deriveSecrets(
  username: string,
  domain: string,
  password: string,
  options: { readonly keepPassword: boolean },
): SubscriberSecrets {
  const realm = domain.toLowerCase();
  return {
    password: options.keepPassword ? password : "",
    ha1: computeHa1("MD5", username, realm, password),
    ha1b: computeHa1("MD5", `${username}@${realm}`, realm, password),
    ha1Sha256: computeHa1("SHA-256", username, realm, password),
  };
}
