import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { deriveSecrets } from "./subscriber-secrets.js";

const md5 = (text: string) => createHash("md5").update(text).digest("hex");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("deriveSecrets", () => {
  it("computes ha1, ha1b and ha1_sha256 with the lower-cased domain as realm", () => {
    const secrets = deriveSecrets("Alice", "Example.COM", "pw", { keepPassword: false });
    assert.deepEqual(secrets, {
      password: "",
      ha1: md5("Alice:example.com:pw"),
      ha1b: md5("Alice@example.com:example.com:pw"),
      ha1Sha256: sha256("Alice:example.com:pw"),
    });
  });

  it("keeps the plain password only when asked (calculate_ha1)", () => {
    assert.equal(deriveSecrets("a", "b.example", "pw", { keepPassword: true }).password, "pw");
  });

  it("hashes non-ASCII text as UTF-8", () => {
    assert.equal(
      deriveSecrets("josé", "b.example", "ñ", { keepPassword: false }).ha1,
      md5("josé:b.example:ñ"),
    );
  });
});
