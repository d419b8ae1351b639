// Throughput of the server's per-request digest work: parse an Authorization value,
// then verify its response against a stored HA1. About one second per case.

import { buildDigestChallenge, parseDigestChallenge } from "../digest-challenge.js";
import { buildDigestAuthorization } from "../digest-client.js";
import { computeHa1, verifyDigestResponse } from "../digest-compute.js";
import { parseDigestCredentials } from "../digest-credentials.js";
import type { DigestAlgorithm } from "../digest-types.js";

const DURATION_MS = 1000;
const BATCH = 1000;

function authorizationFor(algorithm: DigestAlgorithm): string {
  const challenge = parseDigestChallenge(
    buildDigestChallenge({
      realm: "atlanta.com",
      nonce: "Y2I0NjYwZjItZjFiYS00ZWE4LWI2YjMtOTk5ZDM3MWYwNzQ1",
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
      algorithm,
      qop: ["auth"],
    }),
  );
  return buildDigestAuthorization(challenge, {
    username: "alice",
    password: "correct horse battery staple",
    method: "REGISTER",
    uri: "sip:atlanta.com",
    cnonce: "0a4f113b",
    nc: 1,
  });
}

function bench(label: string, algorithm: DigestAlgorithm): void {
  const header = authorizationFor(algorithm);
  const ha1 = computeHa1(algorithm, "alice", "atlanta.com", "correct horse battery staple");
  let operations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (let i = 0; i < BATCH; i++) {
      const credentials = parseDigestCredentials(header);
      if (!verifyDigestResponse(credentials, { method: "REGISTER", ha1 })) {
        throw new Error(`${label}: the benchmark's own credentials did not verify`);
      }
    }
    operations += BATCH;
    elapsed = performance.now() - started;
  }
  const perSecond = Math.round((operations * 1000) / elapsed);
  console.log(`${label.padEnd(44)} ${perSecond.toLocaleString("en-US").padStart(10)} ops/s`);
}

bench("parse Authorization + verify (MD5, auth)", "MD5");
bench("parse Authorization + verify (SHA-256, auth)", "SHA-256");
