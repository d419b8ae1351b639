import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  InvalidSubjectPrefixError,
  isValidSubjectPrefix,
  SUBJECT_NAMES,
  subjects,
} from "./subjects.js";

describe("subjects", () => {
  it("MUST give the bare versioned names without a prefix", () => {
    const s = subjects();
    assert.equal(s.authChallenge, "auth.v1.challenge");
    assert.equal(s.authVerify, "auth.v1.verify");
    assert.equal(s.subscriberChanged, "auth.v1.events.subscriber-changed");
    assert.equal(s.locationSave, "location.v1.save");
    assert.equal(s.locationLookup, "location.v1.lookup");
    assert.equal(s.locationResolveAlias, "location.v1.resolve-alias");
    assert.equal(s.aliasChanged, "location.v1.events.alias-changed");
  });

  it("MUST put the prefix and a dot in front of every name", () => {
    const s = subjects("test_42.run-a");
    for (const [key, name] of Object.entries(SUBJECT_NAMES)) {
      assert.equal(s[key as keyof typeof s], `test_42.run-a.${name}`);
    }
  });

  it("MUST refuse prefixes with wildcards, spaces or empty tokens", () => {
    for (const prefix of ["*", "a.>", "a b", "a..b", ".a", "a.", "a\r\nb"]) {
      assert.equal(isValidSubjectPrefix(prefix), false, prefix);
      assert.throws(() => subjects(prefix), InvalidSubjectPrefixError);
    }
  });

  it("MUST return a frozen object so no caller can repoint a subject", () => {
    assert.equal(Object.isFrozen(subjects("x")), true);
  });
});
