import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SipParseError } from "./parse-error.js";
import { parseMessage } from "./parse-message.js";
import { sipBytes } from "./sample-messages.js";

const BODY = "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\n";

/** A valid OPTIONS, its lines changed by `change` before they are joined. */
function options(change: (lines: string[]) => void = () => {}): Buffer {
  const lines = [
    "OPTIONS sip:user@example.com SIP/2.0",
    "Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423",
    "To: sip:user@example.com",
    "From: sip:other@example.net;tag=3923942",
    "Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf",
    "CSeq: 15932 OPTIONS",
    "Max-Forwards: 70",
    `Content-Length: ${BODY.length}`,
    "",
    BODY,
  ];
  change(lines);
  return sipBytes(lines);
}

function replaced(index: number, line: string): Buffer {
  return options((lines) => {
    lines[index] = line;
  });
}

function inserted(index: number, ...added: string[]): Buffer {
  return options((lines) => {
    lines.splice(index, 0, ...added);
  });
}

function without(name: string): Buffer {
  return options((lines) => {
    const index = lines.findIndex((line) => line.startsWith(`${name}:`));
    lines.splice(index, 1);
  });
}

function rejected(data: Buffer): SipParseError {
  try {
    parseMessage(data);
  } catch (error) {
    assert.ok(error instanceof SipParseError, `expected SipParseError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected a parse error for ${JSON.stringify(data.toString("latin1").slice(0, 80))}`);
}

function rejects(data: Buffer, reason: string, status = 400): void {
  const error = rejected(data);
  assert.equal(error.reason, reason);
  assert.equal(error.status, status);
}

function withStartLine(line: string): Buffer {
  return replaced(0, line);
}

describe("parseMessage rejects malformed start lines (RFC 3261 §7.1, §7.2)", () => {
  it("MUST have exactly one SP between Request-Line elements (RFC 4475 §3.1.2.11-3.1.2.13)", () => {
    rejects(withStartLine("OPTIONS  sip:user@example.com SIP/2.0"), "Bad request line");
    rejects(withStartLine("OPTIONS sip:user@example.com  SIP/2.0"), "Bad request line");
    rejects(withStartLine("OPTIONS sip:user@example.com SIP/2.0 "), "Bad request line");
    rejects(withStartLine("OPTIONS sip:user@example.com; lr SIP/2.0"), "Bad request line");
    rejects(withStartLine("OPTIONS"), "Bad start line");
    rejects(withStartLine(" OPTIONS sip:user@example.com SIP/2.0"), "Bad start line");
  });

  it("rejects a Request-URI in angle brackets or with bad escapes (RFC 4475 §3.1.2.8)", () => {
    rejects(withStartLine("OPTIONS <sip:user@example.com> SIP/2.0"), "Bad Request-URI");
    rejects(withStartLine("OPTIONS sip:us%4@example.com SIP/2.0"), "Bad Request-URI");
    rejects(withStartLine("OPTIONS sip:user@[2001:db8::1 SIP/2.0"), "Bad Request-URI");
  });

  it("answers another SIP version with 505 and anything else with 400 (RFC 4475 §3.1.2.16)", () => {
    rejects(withStartLine("OPTIONS sip:user@example.com SIP/7.0"), "Version Not Supported", 505);
    rejects(withStartLine("OPTIONS sip:user@example.com HTTP/1.1"), "Bad SIP version");
    rejects(withStartLine("OPTIONS sip:user@example.com SIP/2.0a"), "Bad SIP version");
  });

  it("rejects status codes that are not three digits in 100-699 (RFC 4475 §3.1.2.19)", () => {
    rejects(withStartLine("SIP/2.0 4294967301 better not break the receiver"), "Bad status code");
    rejects(withStartLine("SIP/2.0 20 OK"), "Bad status code");
    rejects(withStartLine("SIP/2.0 700 Odd"), "Bad status code");
    rejects(withStartLine("SIP/2.0 200OK"), "Bad status code");
    rejects(withStartLine("SIP/2.0"), "Bad status line");
  });
});

describe("parseMessage rejects missing and malformed mandatory fields (RFC 3261 §8.1.1, §20)", () => {
  it("requires To, From, Call-ID, CSeq and Via (RFC 4475 §3.3.1)", () => {
    rejects(without("To"), "Missing To");
    rejects(without("From"), "Missing From");
    rejects(without("Call-ID"), "Missing Call-ID");
    rejects(without("CSeq"), "Missing CSeq");
    rejects(without("Via"), "Missing Via");
  });

  it("does not require Max-Forwards", () => {
    const message = parseMessage(without("Max-Forwards"));
    assert.equal(message.kind === "request" && message.maxForwards, undefined);
  });

  it("rejects a CSeq method that differs from the request method (RFC 4475 §3.1.2.17-3.1.2.18)", () => {
    rejects(replaced(5, "CSeq: 15932 INVITE"), "CSeq method mismatch");
    rejects(replaced(5, "CSeq: 15932 options"), "CSeq method mismatch");
  });

  it("rejects overlarge and malformed scalar values (RFC 4475 §3.1.2.4)", () => {
    rejects(replaced(5, "CSeq: 36893488147419103232 OPTIONS"), "Bad CSeq");
    rejects(replaced(6, "Max-Forwards: 300"), "Bad Max-Forwards");
    rejects(replaced(4, "Call-ID: two words"), "Bad Call-ID");
  });

  it("rejects repeated single-value fields (RFC 4475 §3.3.8)", () => {
    for (const [index, line, reason] of [
      [2, "To: sip:other@example.net", "Duplicate To"],
      [3, "From: sip:x@example.net;tag=2", "Duplicate From"],
      [4, "Call-ID: other", "Duplicate Call-ID"],
      [5, "CSeq: 1 OPTIONS", "Duplicate CSeq"],
      [6, "Max-Forwards: 5", "Duplicate Max-Forwards"],
    ] as const) {
      rejects(inserted(index, line), reason);
    }
  });

  it("rejects malformed From, To and Via with a reason naming the field", () => {
    rejects(replaced(2, 'To: "Mr. J. User <sip:j.user@example.com>'), "Bad To");
    rejects(replaced(3, "From: Bell, Alexander <sip:a.g.bell@example.com>;tag=43"), "Bad From");
    rejects(replaced(3, "From: <sip:a%g0@example.com>;tag=1"), "Bad From");
    rejects(replaced(1, "Via: SIP/2.0/UDP 192.0.2.15;;,;,,"), "Bad Via parameter");
    rejects(replaced(1, "Via: SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK1"), "Bad Via sent-by");
    const unterminated = rejected(replaced(2, 'To: "unterminated <sip:u@example.com>'));
    assert.ok(unterminated.cause instanceof SipParseError);
    assert.equal(
      unterminated.cause.cause instanceof SipParseError && unterminated.cause.cause.reason,
      "Unterminated quoted string",
    );
  });
});

describe("parseMessage checks Content-Length against the body (RFC 3261 §18.3, §20.14)", () => {
  it("rejects a body shorter than Content-Length (RFC 4475 §3.1.2.5)", () => {
    rejects(replaced(7, "Content-Length: 9999"), "Content-Length mismatch");
    rejects(replaced(7, `Content-Length: ${BODY.length + 1}`), "Content-Length mismatch");
  });

  it("discards the bytes of a body longer than Content-Length", () => {
    const message = parseMessage(replaced(7, "Content-Length: 4"));
    assert.equal(message.body.toString("latin1"), "v=0\r");
  });

  it("rejects negative, huge, non-numeric and repeated values (RFC 4475 §3.1.2.6, §3.3.9)", () => {
    rejects(replaced(7, "Content-Length: -999"), "Bad Content-Length");
    rejects(replaced(7, "Content-Length: 99999999999999999999"), "Bad Content-Length");
    rejects(replaced(7, "Content-Length: ten"), "Bad Content-Length");
    rejects(replaced(7, "Content-Length: 1 2"), "Bad Content-Length");
    rejects(inserted(7, "l: 5"), "Duplicate Content-Length");
  });
});

describe("parseMessage rejects a malformed header section (RFC 3261 §7.3)", () => {
  it("rejects a bare NUL but accepts one escaped in a quoted string", () => {
    rejects(inserted(7, "X-Nul: a\0b"), "NUL in header section");
    rejects(replaced(0, "OPTIONS sip:user@example.com\0 SIP/2.0"), "NUL in header section");
    const escaped = parseMessage(replaced(2, 'To: "a\\\0b" <sip:user@example.com>'));
    assert.equal(escaped.to.displayName, "a\0b");
  });

  it("rejects lone CR or LF line ends, lines without a colon, bad names and a folded start line", () => {
    rejects(
      Buffer.from(
        options().toString("latin1").replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\n"),
      ),
      "Bad line ending",
    );
    rejects(
      Buffer.from(
        options().toString("latin1").replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r"),
      ),
      "Bad line ending",
    );
    rejects(inserted(7, "Foobar roobar"), "Bad header line");
    rejects(inserted(7, "Bad Name: x"), "Bad header name");
    rejects(inserted(7, ": x"), "Bad header name");
    rejects(inserted(1, "  folded start line"), "Bad header line");
  });

  it("caps the number of header fields", () => {
    const many = (count: number) =>
      inserted(7, ...Array.from({ length: count }, (_, i) => `X-H${i}: ${i}`));
    assert.doesNotThrow(() => parseMessage(many(256 - 7)));
    rejects(many(256 - 6), "Too many header fields");
    rejects(many(5_000), "Too many header fields");
  });

  it("rejects messages over the size limit with 513, empty datagrams and a missing empty line", () => {
    assert.throws(
      () => parseMessage(options(), { maxMessageSize: 100 }),
      (error: unknown) => error instanceof SipParseError && error.status === 513,
    );
    rejects(Buffer.alloc(0), "Empty message");
    rejects(Buffer.from("\r\n\r\n"), "Empty message");
    rejects(
      sipBytes(["OPTIONS sip:user@example.com SIP/2.0", "To: sip:user@example.com"]),
      "Incomplete header section",
    );
  });
});

describe("SipParseError tells what could still be read", () => {
  it("for a malformed request: isRequest, the method and the header fields", () => {
    const error = rejected(replaced(5, "CSeq: 1 INVITE"));
    assert.equal(error.isRequest, true);
    assert.equal(error.method, "OPTIONS");
    assert.equal(
      error.headers?.find((field) => field.name === "Call-ID")?.value,
      "mcl01.fhn2323orihawfdoa3o4r52o3irsdf",
    );
    assert.equal(error.name, "SipParseError");
  });

  it("for a response: isRequest false; for garbage or an unsplittable header section: no headers", () => {
    const text = without("CSeq").toString("latin1");
    const responseData = Buffer.from(
      text.replace("OPTIONS sip:user@example.com SIP/2.0", "SIP/2.0 200 OK"),
      "latin1",
    );
    assert.equal(rejected(responseData).isRequest, false);
    const garbage = rejected(Buffer.from("\x01\x02\x03 garbage\r\n\r\n", "latin1"));
    assert.equal(garbage.isRequest, undefined);
    const unsplittable = rejected(inserted(7, "no colon here"));
    assert.equal(unsplittable.isRequest, true);
    assert.equal(unsplittable.headers, undefined);
  });
});
