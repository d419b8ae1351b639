// Default reason phrases: every response code of RFC 3261 §21, plus a few from
// later RFCs that a proxy and registrar meet.

const REASON_PHRASES: ReadonlyMap<number, string> = new Map([
  [100, "Trying"],
  [180, "Ringing"],
  [181, "Call Is Being Forwarded"],
  [182, "Queued"],
  [183, "Session Progress"],
  [199, "Early Dialog Terminated"], // RFC 6228
  [200, "OK"],
  [202, "Accepted"], // RFC 6665
  [204, "No Notification"], // RFC 5839
  [300, "Multiple Choices"],
  [301, "Moved Permanently"],
  [302, "Moved Temporarily"],
  [305, "Use Proxy"],
  [380, "Alternative Service"],
  [400, "Bad Request"],
  [401, "Unauthorized"],
  [402, "Payment Required"],
  [403, "Forbidden"],
  [404, "Not Found"],
  [405, "Method Not Allowed"],
  [406, "Not Acceptable"],
  [407, "Proxy Authentication Required"],
  [408, "Request Timeout"],
  [410, "Gone"],
  [412, "Conditional Request Failed"], // RFC 3903
  [413, "Request Entity Too Large"],
  [414, "Request-URI Too Long"],
  [415, "Unsupported Media Type"],
  [416, "Unsupported URI Scheme"],
  [420, "Bad Extension"],
  [421, "Extension Required"],
  [422, "Session Interval Too Small"], // RFC 4028
  [423, "Interval Too Brief"],
  [429, "Provide Referrer Identity"], // RFC 3892
  [430, "Flow Failed"], // RFC 5626
  [439, "First Hop Lacks Outbound Support"], // RFC 5626
  [480, "Temporarily Unavailable"],
  [481, "Call/Transaction Does Not Exist"],
  [482, "Loop Detected"],
  [483, "Too Many Hops"],
  [484, "Address Incomplete"],
  [485, "Ambiguous"],
  [486, "Busy Here"],
  [487, "Request Terminated"],
  [488, "Not Acceptable Here"],
  [489, "Bad Event"], // RFC 6665
  [491, "Request Pending"],
  [493, "Undecipherable"],
  [500, "Server Internal Error"],
  [501, "Not Implemented"],
  [502, "Bad Gateway"],
  [503, "Service Unavailable"],
  [504, "Server Time-out"],
  [505, "Version Not Supported"],
  [513, "Message Too Large"],
  [600, "Busy Everywhere"],
  [603, "Decline"],
  [604, "Does Not Exist Anywhere"],
  [606, "Not Acceptable"],
]);

/** RFC 3261 §21: an unknown code is understood by its class (x00). */
const CLASS_PHRASES = [
  "",
  "Trying",
  "OK",
  "Multiple Choices",
  "Bad Request",
  "Server Internal Error",
  "Busy Everywhere",
];

/** The default reason phrase for a status code (100-699). */
export function reasonPhrase(status: number): string {
  return REASON_PHRASES.get(status) ?? CLASS_PHRASES[Math.floor(status / 100)] ?? "";
}
