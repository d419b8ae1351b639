import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { CliInput } from "./password-input.js";
import {
  type AdminStub,
  closedPort,
  type StubReply,
  type StubRequest,
  startAdminStub,
} from "./test-support/admin-stub.js";
import { fakeTerminal, pipedInput, runSbctl } from "./test-support/cli-harness.js";

const SUBSCRIBER = {
  username: "1000",
  domain: "localhost",
  email: "user1@nowhere.com",
  createdAt: "2024-05-01T10:00:00.000Z",
};

describe("sbctl command line", () => {
  const usageCases: [string[], string][] = [
    [[], "sbctl: missing command (see sbctl --help)"],
    [["user", "add"], "sbctl: user add: missing <user> (see sbctl user add --help)"],
    [["add", "1000", "pw"], "sbctl: add: missing <email> (see sbctl add --help)"],
    [
      ["user"],
      "sbctl: user: missing command (add, rm, passwd, list, show) (see sbctl user --help)",
    ],
    [["frobnicate"], 'sbctl: unknown command "frobnicate" (see sbctl --help)'],
    [["ul", "dump"], 'sbctl: ul: unknown command "dump" (see sbctl ul --help)'],
    [
      ["user", "rm", "1000", "1001"],
      "sbctl: user rm: too many arguments (at most 1) (see sbctl user rm --help)",
    ],
    [["alias", "list", "x"], "sbctl: alias list: takes no arguments (see sbctl alias list --help)"],
    [
      ["user", "rm", "1000", "--email", "a@b"],
      "sbctl: user rm: option --email does not apply here (see sbctl user rm --help)",
    ],
    [
      ["user", "list", "--jsno"],
      "sbctl: user list: unknown option --jsno (see sbctl user list --help)",
    ],
    [["user", "list", "--token"], "sbctl: option --token needs a value (see sbctl --help)"],
    [["user", "list", "--json=yes"], "sbctl: option --json takes no value (see sbctl --help)"],
    [
      ["user", "list", "--timeout", "soon"],
      "sbctl: user list: --timeout: expected milliseconds from 1 to 600000: soon (see sbctl user list --help)",
    ],
    [
      ["user", "show", "two words"],
      "sbctl: user show: the user name contains whitespace or control characters (see sbctl user show --help)",
    ],
    [
      ["ul", "rm", "sip:1000@example.com:5060"],
      "sbctl: ul rm: an AOR has no port: sip:1000@example.com:5060 (see sbctl ul rm --help)",
    ],
    [
      ["user", "list", "--auth-url", "ftp://x"],
      "sbctl: user list: --auth-url (AUTH_ADMIN_URL): not an http:// or https:// URL: ftp://x (see sbctl user list --help)",
    ],
  ];
  for (const [argv, line] of usageCases) {
    it(`exits 2 with one line for: sbctl ${argv.join(" ")}`, async () => {
      const run = await runSbctl(argv);
      assert.deepEqual(run, { code: 2, stdout: "", stderr: `${line}\n` });
    });
  }

  it("prints help on stdout with exit 0 at every level", async () => {
    for (const argv of [
      ["--help"],
      ["help"],
      ["user", "--help"],
      ["user", "add", "-h"],
      ["help", "ul", "show"],
    ]) {
      const run = await runSbctl(argv);
      assert.equal(run.code, 0, argv.join(" "));
      assert.equal(run.stderr, "");
      assert.match(run.stdout, /^Usage: sbctl /);
    }
    assert.match((await runSbctl(["user", "add", "--help"])).stdout, /--password-stdin/);
    assert.match((await runSbctl(["ul", "--help"])).stdout, /ul rm <AOR>/);
  });
});

describe("sbctl against an admin API", () => {
  let stub: AdminStub;
  let answer: (request: StubRequest) => StubReply | undefined;
  const env = () => ({ AUTH_ADMIN_URL: stub.url, LOCATION_ADMIN_URL: stub.url });
  const lastRequest = () => stub.requests.at(-1);

  before(async () => {
    stub = await startAdminStub((request) => answer(request));
  });
  after(() => stub.close());
  beforeEach(() => {
    answer = () => ({ status: 500, body: { error: "unexpected request" } });
  });

  it("creates a subscriber with `add 1000 password1 user1@nowhere.com`, as serctl does", async () => {
    answer = () => ({
      status: 201,
      body: { username: "1000", domain: "localhost", email: SUBSCRIBER.email },
    });
    const run = await runSbctl(["add", "1000", "password1", "user1@nowhere.com"], { env: env() });
    assert.deepEqual(run, { code: 0, stdout: "created user 1000@localhost\n", stderr: "" });
    assert.equal(lastRequest()?.method, "POST");
    assert.equal(lastRequest()?.url, "/v1/subscribers");
    assert.deepEqual(JSON.parse(lastRequest()?.body ?? ""), {
      username: "1000",
      domain: "localhost",
      password: "password1",
      email: "user1@nowhere.com",
    });
    assert.equal(lastRequest()?.headers.authorization, "Bearer dev-admin-token");
  });

  it("takes the default domain from SIP_DOMAIN, overridden by --domain, and the token from ADMIN_TOKEN", async () => {
    answer = () => ({ status: 204 });
    await runSbctl(["user", "rm", "1000"], {
      env: { ...env(), SIP_DOMAIN: "Example.ORG", ADMIN_TOKEN: "env-token-0123456789" },
    });
    assert.equal(lastRequest()?.url, "/v1/subscribers/example.org/1000");
    assert.equal(lastRequest()?.headers.authorization, "Bearer env-token-0123456789");
    await runSbctl(["user", "rm", "1000", "--domain", "sip.example.com"], {
      env: { ...env(), SIP_DOMAIN: "example.org" },
    });
    assert.equal(lastRequest()?.url, "/v1/subscribers/sip.example.com/1000");
  });

  it("names the existing user on 409 and exits 1", async () => {
    answer = () => ({ status: 409, body: { error: "subscriber exists" } });
    const run = await runSbctl(["user", "add", "1000@Example.com", "pw-1"], { env: env() });
    assert.deepEqual(run, {
      code: 1,
      stdout: "",
      stderr: "sbctl: user 1000@example.com already exists\n",
    });
  });

  it("names the missing user on 404 for rm, passwd and show", async () => {
    answer = () => ({ status: 404, body: { error: "no such subscriber" } });
    for (const argv of [
      ["user", "rm", "1000"],
      ["user", "passwd", "1000", "pw-2"],
      ["user", "show", "1000"],
    ]) {
      const run = await runSbctl(argv, { env: env() });
      assert.deepEqual(run, {
        code: 1,
        stdout: "",
        stderr: "sbctl: user 1000@localhost does not exist\n",
      });
    }
  });

  it("passes the API's message on 400", async () => {
    answer = () => ({ status: 400, body: { error: "body/email must match pattern" } });
    const run = await runSbctl(["user", "add", "1000", "pw-3", "--email", "a b"], { env: env() });
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `sbctl: auth admin API at ${stub.url} refused the request: body/email must match pattern\n`,
    );
  });

  it("says the admin token was rejected on 401", async () => {
    answer = () => ({ status: 401, body: { error: "unauthorized" } });
    const run = await runSbctl(["ul", "show", "--token", "wrong-token-0123"], { env: env() });
    assert.deepEqual(run, {
      code: 1,
      stdout: "",
      stderr: `sbctl: location admin API at ${stub.url} rejected the admin token (set --token or ADMIN_TOKEN)\n`,
    });
  });

  it("lists subscribers as an aligned table, filtered only by an explicit --domain", async () => {
    answer = () => ({
      status: 200,
      body: { subscribers: [SUBSCRIBER, { ...SUBSCRIBER, username: "o'brien", email: null }] },
    });
    const run = await runSbctl(["user", "list"], {
      env: { ...env(), SIP_DOMAIN: "ignored.example" },
    });
    assert.equal(lastRequest()?.url, "/v1/subscribers");
    assert.equal(
      run.stdout,
      [
        "USERNAME  DOMAIN     EMAIL              CREATED\n",
        "1000      localhost  user1@nowhere.com  2024-05-01T10:00:00.000Z\n",
        "o'brien   localhost  -                  2024-05-01T10:00:00.000Z\n",
      ].join(""),
    );
    await runSbctl(["user", "list", "--domain", "Example.com"], { env: env() });
    assert.equal(lastRequest()?.url, "/v1/subscribers?domain=example.com");
  });

  it("prints JSON with --json", async () => {
    answer = () => ({ status: 200, body: { subscribers: [SUBSCRIBER] } });
    const run = await runSbctl(["--json", "user", "list"], { env: env() });
    assert.deepEqual(JSON.parse(run.stdout), { subscribers: [SUBSCRIBER] });
  });

  it("shows a subscriber without any secret the API might wrongly send", async () => {
    answer = () => ({
      status: 200,
      body: { ...SUBSCRIBER, password: "leaked-pw", ha1: "ha1-hash" },
    });
    for (const argv of [
      ["user", "show", "1000"],
      ["user", "show", "1000", "--json"],
    ]) {
      const run = await runSbctl(argv, { env: env() });
      assert.equal(run.code, 0);
      assert.match(run.stdout, /user1@nowhere\.com/);
      assert.doesNotMatch(run.stdout + run.stderr, /leaked-pw|ha1-hash/);
    }
  });

  it("lists every AOR with its contact count, and one AOR's contacts by any AOR form", async () => {
    answer = (request) =>
      request.url === "/v1/aors"
        ? { status: 200, body: { aors: [{ username: "1000", domain: "localhost", contacts: 2 }] } }
        : {
            status: 200,
            body: {
              username: "1000",
              domain: "example.com",
              contacts: [
                {
                  uri: "sip:1000@192.0.2.4:5062",
                  expires: 3599,
                  q: 1,
                  received: "udp:203.0.113.5:5062",
                  userAgent: "Phone/1.0",
                },
              ],
            },
          };
    const all = await runSbctl(["ul", "show"], { env: env() });
    assert.equal(all.stdout, "AOR             CONTACTS\n1000@localhost  2\n");
    const one = await runSbctl(["ul", "show", "sip:1000@Example.com;transport=udp"], {
      env: env(),
    });
    assert.equal(lastRequest()?.url, "/v1/aors/example.com/1000");
    assert.equal(
      one.stdout,
      "URI                      EXPIRES  Q  RECEIVED              USER-AGENT\n" +
        "sip:1000@192.0.2.4:5062  3599s    1  udp:203.0.113.5:5062  Phone/1.0\n",
    );
  });

  it("says an AOR has no contacts on 404 from ul show and ul rm", async () => {
    answer = () => ({ status: 404, body: { error: "no bindings" } });
    for (const argv of [
      ["ul", "show", "1000"],
      ["ul", "rm", "1000"],
    ]) {
      const run = await runSbctl(argv, { env: env() });
      assert.deepEqual(run, {
        code: 1,
        stdout: "",
        stderr: "sbctl: 1000@localhost has no registered contacts\n",
      });
    }
    assert.equal(lastRequest()?.method, "DELETE");
  });

  it("adds, lists and removes aliases", async () => {
    answer = () => ({ status: 201, body: {} });
    const added = await runSbctl(["alias", "add", "sales", "1000@Example.com"], { env: env() });
    assert.equal(added.stdout, "added alias sales@localhost -> 1000@example.com\n");
    assert.deepEqual(JSON.parse(lastRequest()?.body ?? ""), {
      alias: { username: "sales", domain: "localhost" },
      target: { username: "1000", domain: "example.com" },
    });
    answer = () => ({ status: 409, body: { error: "alias exists" } });
    const duplicate = await runSbctl(["alias", "add", "sales", "1000"], { env: env() });
    assert.equal(duplicate.stderr, "sbctl: alias sales@localhost already exists\n");
    answer = () => ({
      status: 200,
      body: {
        aliases: [
          {
            alias: { username: "sales", domain: "localhost" },
            target: { username: "1000", domain: "localhost" },
          },
        ],
      },
    });
    const listed = await runSbctl(["alias", "list"], { env: env() });
    assert.equal(listed.stdout, "ALIAS            TARGET\nsales@localhost  1000@localhost\n");
    answer = () => ({ status: 404, body: { error: "no such alias" } });
    const removed = await runSbctl(["alias", "rm", "sales"], { env: env() });
    assert.equal(removed.stderr, "sbctl: alias sales@localhost does not exist\n");
  });

  it("says so when a list is empty", async () => {
    answer = (request) =>
      request.url.startsWith("/v1/subscribers")
        ? { status: 200, body: { subscribers: [] } }
        : request.url === "/v1/aors"
          ? { status: 200, body: { aors: [] } }
          : { status: 200, body: { aliases: [] } };
    assert.equal((await runSbctl(["user", "list"], { env: env() })).stdout, "no subscribers\n");
    assert.equal(
      (await runSbctl(["ul", "show"], { env: env() })).stdout,
      "no registered contacts\n",
    );
    assert.equal((await runSbctl(["alias", "list"], { env: env() })).stdout, "no aliases\n");
  });

  it("reads the password from standard input with --password-stdin", async () => {
    answer = () => ({ status: 204 });
    const run = await runSbctl(["user", "passwd", "1000", "--password-stdin"], {
      env: env(),
      stdin: pipedInput("from-stdin-pw\n"),
    });
    assert.equal(run.code, 0);
    assert.equal(lastRequest()?.url, "/v1/subscribers/localhost/1000/password");
    assert.deepEqual(JSON.parse(lastRequest()?.body ?? ""), { password: "from-stdin-pw" });
  });

  it("asks for the password on a terminal when it is omitted", async () => {
    answer = () => ({ status: 201, body: SUBSCRIBER });
    const run = await runSbctl(["user", "add", "1000"], {
      env: env(),
      stdin: fakeTerminal("typed-pw\rtyped-pw\r"),
    });
    assert.equal(run.code, 0);
    assert.equal(JSON.parse(lastRequest()?.body ?? "").password, "typed-pw");
    assert.equal(run.stderr, "New password: \nRetype new password: \n");
  });

  it("refuses to run without a password when standard input is not a terminal", async () => {
    const before = stub.requests.length;
    const run = await runSbctl(["user", "add", "1000"], { env: env() });
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      "sbctl: user add: missing [password]: standard input is not a terminal to ask it on; use --password-stdin (see sbctl user add --help)\n",
    );
    const both = await runSbctl(["user", "add", "1000", "pw", "--password-stdin"], { env: env() });
    assert.equal(both.code, 2);
    assert.equal(stub.requests.length, before);
  });
});

describe("sbctl never shows a password", () => {
  const password = "Pa55-w0rd-SECRET";
  let stub: AdminStub;
  let answer: StubReply;
  before(async () => {
    stub = await startAdminStub(() => answer);
  });
  after(() => stub.close());

  // Replies of a careless API: each carries the password back, in data or in an error.
  const leakyData: StubReply[] = [
    { status: 201, body: { ...SUBSCRIBER, password } },
    { status: 200, body: { ...SUBSCRIBER, password } },
    { status: 200, body: { subscribers: [{ ...SUBSCRIBER, password }] } },
  ];
  const leakyErrors: StubReply[] = [
    { status: 204 },
    { status: 409, body: { error: `subscriber exists with password ${password}` } },
    { status: 400, body: { error: `body/password "${password}" is too weak` } },
    { status: 500, body: { error: password } },
  ];
  const terminal = () => fakeTerminal(`${password}\r${password}\r`);
  const sending: { argv: string[]; stdin?: () => CliInput }[] = [
    { argv: ["add", "1000", password, "user1@nowhere.com"] },
    { argv: ["user", "add", "1000", password, "--email", "x@y"] },
    { argv: ["user", "add", "1000", "--password-stdin"], stdin: () => pipedInput(`${password}\n`) },
    { argv: ["user", "add", "1000"], stdin: terminal },
    { argv: ["user", "passwd", "1000", password] },
    { argv: ["user", "passwd", "1000", "--password-stdin"], stdin: () => pipedInput(password) },
    { argv: ["user", "passwd", "1000"], stdin: terminal },
  ];
  const cases = [
    ...sending.map((command) => ({ ...command, replies: [...leakyData, ...leakyErrors] })),
    { argv: ["user", "show", "1000"], replies: leakyData },
    { argv: ["user", "list"], replies: leakyData },
  ];

  for (const { argv, stdin, replies } of cases) {
    const shown = argv.map((arg) => (arg === password ? "<password>" : arg)).join(" ");
    it(`keeps it out of stdout and stderr: sbctl ${shown}`, async () => {
      for (const json of [[], ["--json"]]) {
        for (const reply of replies) {
          answer = reply;
          const run = await runSbctl([...argv, ...json], {
            env: { AUTH_ADMIN_URL: stub.url },
            ...(stdin === undefined ? {} : { stdin: stdin() }),
          });
          const output = run.stdout + run.stderr;
          assert.ok(!output.includes(password), `HTTP ${reply.status} ${json}: ${output}`);
        }
      }
    });
  }

  it("keeps it out of usage errors, unknown options included", async () => {
    for (const argv of [
      ["add", "1000", `-${password}`, "x@y"],
      ["user", "add", "bad user", password],
      ["user", "passwd", "1000", password, "extra", "--password-stdin"],
    ]) {
      const run = await runSbctl(argv, { env: { AUTH_ADMIN_URL: stub.url } });
      assert.equal(run.code, 2);
      assert.ok(!run.stderr.includes(password), run.stderr);
    }
  });
});

describe("sbctl with the service down", () => {
  it("says it cannot reach the API, with the URL and the reason, and exits 1", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runSbctl(["user", "add", "1000", "pw-4"], { env: { AUTH_ADMIN_URL: url } });
    assert.deepEqual(run, {
      code: 1,
      stdout: "",
      stderr: `sbctl: cannot reach auth admin API at ${url} (connection refused)\n`,
    });
  });

  it("names the location API for ul and alias commands", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runSbctl(["alias", "list", "--location-url", `${url}/`]);
    assert.equal(
      run.stderr,
      `sbctl: cannot reach location admin API at ${url} (connection refused)\n`,
    );
  });

  it("explains that a reserved port such as 127.0.0.1:1 is refused by fetch", async () => {
    const run = await runSbctl(["user", "list", "--auth-url", "http://127.0.0.1:1"]);
    assert.equal(
      run.stderr,
      "sbctl: cannot reach auth admin API at http://127.0.0.1:1 (fetch refuses reserved port 1)\n",
    );
  });
});
