// sbctl against the real auth and location services, started in-process on port 0 with a
// database each and a NATS subject prefix of their own (MariaDB 127.0.0.1:3306, NATS
// 127.0.0.1:4222), dropped afterwards.

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type AuthService, loadAuthConfig, startAuthService } from "@switchboard/auth";
import {
  LocationSaveRequestSchema,
  LocationSaveResponseSchema,
  subjects,
} from "@switchboard/contracts";
import {
  connectNats,
  createLogger,
  createMysqlPool,
  dropDatabase,
  type NatsConnection,
  type Pool,
  request,
} from "@switchboard/kit";
import {
  type LocationServiceHandle,
  loadLocationConfig,
  startLocationService,
} from "@switchboard/location";
import { pipedInput, runSbctl } from "./test-support/cli-harness.js";

const RUN_ID = randomBytes(4).toString("hex");
const AUTH_DATABASE_URL = `mysql://root@127.0.0.1:3306/sbctl_it_auth_${RUN_ID}`;
const LOCATION_DATABASE_URL = `mysql://root@127.0.0.1:3306/sbctl_it_location_${RUN_ID}`;
const SUBJECT_PREFIX = `sbctl-it-${RUN_ID}`;
const ADMIN_TOKEN = `sbctl-it-token-${RUN_ID}`;
const logger = createLogger({ service: "sbctl-it", level: "silent" });

function serviceEnv(databaseUrl: string): Record<string, string> {
  return {
    MYSQL_URL: databaseUrl,
    NATS_SUBJECT_PREFIX: SUBJECT_PREFIX,
    HTTP_HOST: "127.0.0.1",
    ADMIN_TOKEN,
    LOG_LEVEL: "silent",
  };
}

describe("sbctl against the real auth and location services", () => {
  let auth: AuthService;
  let location: LocationServiceHandle;
  let nc: NatsConnection;
  let authDatabase: Pool;
  let env: Record<string, string>;

  before(async () => {
    const authConfig = { ...loadAuthConfig(serviceEnv(AUTH_DATABASE_URL)).config, HTTP_PORT: 0 };
    auth = await startAuthService(authConfig, { logger });
    const locationConfig = {
      ...loadLocationConfig(serviceEnv(LOCATION_DATABASE_URL)),
      HTTP_PORT: 0,
    };
    location = await startLocationService(locationConfig, { logger, sweepOnTimer: false });
    nc = await connectNats({ servers: "nats://127.0.0.1:4222", name: "sbctl-it", logger });
    authDatabase = createMysqlPool(AUTH_DATABASE_URL);
    env = { AUTH_ADMIN_URL: auth.httpUrl, LOCATION_ADMIN_URL: location.httpUrl, ADMIN_TOKEN };
  });

  after(async () => {
    await authDatabase?.end();
    await nc?.drain();
    await auth?.stop();
    await location?.stop();
    await dropDatabase(AUTH_DATABASE_URL);
    await dropDatabase(LOCATION_DATABASE_URL);
  });

  const sbctl = (...argv: string[]) => runSbctl(argv, { env });

  async function register(username: string, uri: string): Promise<void> {
    const reply = await request(
      nc,
      subjects(SUBJECT_PREFIX).locationSave,
      LocationSaveRequestSchema,
      LocationSaveResponseSchema,
      {
        aor: { username, domain: "localhost" },
        contacts: [{ uri, expires: 600 }],
        callId: `call-${RUN_ID}`,
        cseq: 1,
        received: "udp:203.0.113.5:5062",
        userAgent: "IT-Phone/1.0",
      },
      { timeoutMs: 5000 },
    );
    assert.equal(reply.ok, true);
  }

  /** The stored HA1 of a subscriber: MD5(username:domain:password), RFC 2617 §3.2.2.2. */
  async function storedHa1(username: string): Promise<string | undefined> {
    const [rows] = await authDatabase.query(
      "SELECT ha1 FROM subscriber WHERE username = ? AND domain = ?",
      [username, "localhost"],
    );
    return (rows as { ha1: string }[])[0]?.ha1;
  }

  const ha1Of = (username: string, password: string) =>
    createHash("md5").update(`${username}:localhost:${password}`).digest("hex");

  it("creates subscriber 1000 with `add 1000 password1 user1@nowhere.com` and shows its email, not its password", async () => {
    const added = await sbctl("add", "1000", "password1", "user1@nowhere.com");
    assert.deepEqual(added, { code: 0, stdout: "created user 1000@localhost\n", stderr: "" });
    assert.equal(await storedHa1("1000"), ha1Of("1000", "password1"));
    for (const json of [[], ["--json"]]) {
      const shown = await sbctl("user", "show", "1000", ...json);
      assert.equal(shown.code, 0);
      assert.match(shown.stdout, /user1@nowhere\.com/);
      assert.ok(!shown.stdout.includes("password1"), shown.stdout);
    }
    const listed = await sbctl("user", "list", "--json");
    assert.deepEqual(
      JSON.parse(listed.stdout).subscribers.map((s: { username: string }) => s.username),
      ["1000"],
    );
  });

  it("refuses a duplicate add with exit 1 and says the user already exists", async () => {
    const again = await sbctl("add", "1000", "other-pw", "x@nowhere.com");
    assert.deepEqual(again, {
      code: 1,
      stdout: "",
      stderr: "sbctl: user 1000@localhost already exists\n",
    });
    assert.equal(await storedHa1("1000"), ha1Of("1000", "password1"));
  });

  it("changes a password with user passwd, reading it from standard input", async () => {
    const changed = await runSbctl(["user", "passwd", "1000", "--password-stdin"], {
      env,
      stdin: pipedInput("n3w-secret\n"),
    });
    assert.deepEqual(changed, {
      code: 0,
      stdout: "changed the password of 1000@localhost\n",
      stderr: "",
    });
    assert.equal(await storedHa1("1000"), ha1Of("1000", "n3w-secret"));
    assert.deepEqual(await sbctl("user", "passwd", "9999", "x-pw"), {
      code: 1,
      stdout: "",
      stderr: "sbctl: user 9999@localhost does not exist\n",
    });
  });

  it("passes the service's message when it refuses a value", async () => {
    const run = await sbctl("user", "add", "1001", "pw-1001", "--email", "not an email");
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^sbctl: auth admin API at http:\/\/127\.0\.0\.1:\d+ refused the request: .*email/,
    );
    assert.ok(!run.stderr.includes("pw-1001"));
  });

  it("removes a subscriber with user rm", async () => {
    assert.deepEqual(await sbctl("user", "rm", "1000"), {
      code: 0,
      stdout: "removed user 1000@localhost\n",
      stderr: "",
    });
    assert.equal(await storedHa1("1000"), undefined);
    const gone = { code: 1, stdout: "", stderr: "sbctl: user 1000@localhost does not exist\n" };
    assert.deepEqual(await sbctl("user", "show", "1000"), gone);
    assert.deepEqual(await sbctl("user", "rm", "1000"), gone);
  });

  it("round-trips user names with SQL metacharacters", async () => {
    for (const name of ["o'brien", 'x";--', "50%_off", "back\\slash", "a/b?c#d"]) {
      assert.equal((await sbctl("user", "add", name, "pw-meta", "--email", "m@x")).code, 0, name);
      assert.equal(await storedHa1(name), ha1Of(name, "pw-meta"), name);
      const shown = JSON.parse((await sbctl("user", "show", name, "--json")).stdout);
      assert.deepEqual([shown.username, shown.domain, shown.email], [name, "localhost", "m@x"]);
      assert.equal((await sbctl("user", "rm", name)).code, 0, name);
    }
    assert.equal((await sbctl("user", "list")).stdout, "no subscribers\n");
  });

  it("adds, lists and removes an alias", async () => {
    const added = await sbctl("alias", "add", "sales", "1000");
    assert.deepEqual(added, {
      code: 0,
      stdout: "added alias sales@localhost -> 1000@localhost\n",
      stderr: "",
    });
    const duplicate = await sbctl("alias", "add", "sales@LOCALHOST", "1001");
    assert.deepEqual(duplicate, {
      code: 1,
      stdout: "",
      stderr: "sbctl: alias sales@localhost already exists\n",
    });
    const listed = await sbctl("alias", "list");
    assert.equal(listed.stdout, "ALIAS            TARGET\nsales@localhost  1000@localhost\n");
    assert.equal((await sbctl("alias", "rm", "sales")).code, 0);
    assert.equal((await sbctl("alias", "list")).stdout, "no aliases\n");
    const again = await sbctl("alias", "rm", "sales");
    assert.deepEqual(again, {
      code: 1,
      stdout: "",
      stderr: "sbctl: alias sales@localhost does not exist\n",
    });
  });

  it("shows no AORs, and says an AOR without bindings has none for ul show and ul rm", async () => {
    assert.deepEqual(await sbctl("ul", "show"), {
      code: 0,
      stdout: "no registered contacts\n",
      stderr: "",
    });
    for (const argv of [
      ["ul", "show", "2000"],
      ["ul", "rm", "sip:2000@localhost"],
    ]) {
      assert.deepEqual(await sbctl(...argv), {
        code: 1,
        stdout: "",
        stderr: "sbctl: 2000@localhost has no registered contacts\n",
      });
    }
  });

  it("shows and removes the contacts a REGISTER saved", async () => {
    await register("3000", "sip:3000@192.0.2.10:5062");
    const all = await sbctl("ul", "show");
    assert.equal(all.stdout, "AOR             CONTACTS\n3000@localhost  1\n");
    const one = await sbctl("ul", "show", "sip:3000@LocalHost", "--json");
    const shown = JSON.parse(one.stdout);
    assert.equal(shown.contacts[0].uri, "sip:3000@192.0.2.10:5062");
    assert.equal(shown.contacts[0].userAgent, "IT-Phone/1.0");
    assert.ok(shown.contacts[0].expires > 0 && shown.contacts[0].expires <= 600);
    const table = await sbctl("ul", "show", "3000");
    assert.match(
      table.stdout,
      /^URI +EXPIRES +Q +RECEIVED +USER-AGENT\nsip:3000@192\.0\.2\.10:5062 +\d+s +1 +udp:203\.0\.113\.5:5062 +IT-Phone\/1\.0\n$/,
    );
    assert.deepEqual(await sbctl("ul", "rm", "3000"), {
      code: 0,
      stdout: "removed every contact of 3000@localhost\n",
      stderr: "",
    });
    assert.equal((await sbctl("ul", "show", "3000")).code, 1);
  });

  it("keeps SQL metacharacters in alias names as plain data", async () => {
    for (const name of ["o'brien", 'x";--', "50%_off", "back\\slash", "a/b?c#d"]) {
      assert.equal((await sbctl("alias", "add", name, "1000")).code, 0, name);
      const listed = await sbctl("alias", "list", "--json");
      assert.deepEqual(JSON.parse(listed.stdout).aliases, [
        {
          alias: { username: name, domain: "localhost" },
          target: { username: "1000", domain: "localhost" },
        },
      ]);
      assert.equal((await sbctl("alias", "rm", name)).code, 0, name);
    }
  });

  it("exits 1 when a service rejects the admin token", async () => {
    for (const [argv, service, url] of [
      [["alias", "list"], "location", location.httpUrl],
      [["user", "list"], "auth", auth.httpUrl],
    ] as const) {
      const run = await sbctl(...argv, "--token", "wrong-token-000000");
      assert.deepEqual(run, {
        code: 1,
        stdout: "",
        stderr: `sbctl: ${service} admin API at ${url} rejected the admin token (set --token or ADMIN_TOKEN)\n`,
      });
    }
  });
});
