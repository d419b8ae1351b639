// One JSON request to an admin HTTP API, and the mapping of every way it can fail to a
// typed error whose message is one line an operator can act on.

/** Which service's admin API a request goes to. */
export type AdminService = "auth" | "location";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Where and how to reach one admin API. */
export interface AdminEndpoint {
  readonly service: AdminService;
  /** Base URL, e.g. `http://127.0.0.1:8081`; a path prefix is kept. */
  readonly baseUrl: string;
  /** Bearer token; sent only in the Authorization header, never shown. */
  readonly token: string;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

/**
 * - `unreachable`: no connection (refused, unknown host, reset, …).
 * - `timeout`: no answer within the timeout.
 * - `unauthorized`: HTTP 401, the token was refused.
 * - `bad-request`, `not-found`, `conflict`: HTTP 400, 404, 409.
 * - `failed`: any other non-2xx status.
 * - `bad-reply`: a 2xx answer that is not the JSON the API documents.
 */
export type AdminErrorKind =
  | "unreachable"
  | "timeout"
  | "unauthorized"
  | "bad-request"
  | "not-found"
  | "conflict"
  | "failed"
  | "bad-reply";

/** A failed admin API call. `message` is one line fit for an operator. */
export class AdminApiError extends Error {
  override name = "AdminApiError";
  /** The HTTP status, when the service answered. */
  readonly status: number | undefined;
  /** The `error` text of the service's JSON error body, when it sent one. */
  readonly apiMessage: string | undefined;

  constructor(
    readonly kind: AdminErrorKind,
    readonly service: AdminService,
    message: string,
    options: { status?: number; apiMessage?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.apiMessage = options.apiMessage;
  }
}

const API_MESSAGE_MAX_CHARS = 300;
const SYSTEM_ERROR_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

function describeEndpoint(endpoint: AdminEndpoint): string {
  return `${endpoint.service} admin API at ${endpoint.baseUrl}`;
}

/** The innermost cause of a fetch failure: the system error, when there is one. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const next = current instanceof AggregateError ? current.errors[0] : current.cause;
    if (next === undefined) break;
    current = next;
  }
  return current;
}

/** Why a fetch found no server, in a few words: `connection refused`, `host not found`, … */
function transportFailureReason(error: unknown, baseUrl: string): string {
  const cause = rootCause(error);
  if (!(cause instanceof Error)) return "request failed";
  const code = (cause as NodeJS.ErrnoException).code;
  if (typeof code === "string") return SYSTEM_ERROR_TEXT[code] ?? code;
  // The Fetch standard refuses a list of "bad ports" (1, 7, 25, 6000, …) before connecting.
  if (cause.message === "bad port") {
    return `fetch refuses reserved port ${new URL(baseUrl).port}`;
  }
  return cause.message === "" ? "request failed" : cause.message;
}

function transportError(endpoint: AdminEndpoint, error: unknown): AdminApiError {
  if (error instanceof Error && error.name === "TimeoutError") {
    return new AdminApiError(
      "timeout",
      endpoint.service,
      `${describeEndpoint(endpoint)} did not answer within ${endpoint.timeoutMs} ms`,
      { cause: error },
    );
  }
  const reason = transportFailureReason(error, endpoint.baseUrl);
  return new AdminApiError(
    "unreachable",
    endpoint.service,
    `cannot reach ${describeEndpoint(endpoint)} (${reason})`,
    { cause: error },
  );
}

/** The `error` text of a JSON error body, flattened to one bounded line. */
function apiMessageOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  const text =
    typeof error === "string"
      ? error
      : typeof error === "object" && error !== null
        ? (error as { message?: unknown }).message
        : undefined;
  if (typeof text !== "string" || text.trim() === "") return undefined;
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > API_MESSAGE_MAX_CHARS ? `${line.slice(0, API_MESSAGE_MAX_CHARS)}…` : line;
}

/** What each HTTP status means, and how to say it; `where` names the API, `detail` is `: <API message>` or empty. */
const STATUS_ERRORS: Readonly<
  Record<number, { kind: AdminErrorKind; say: (where: string, detail: string) => string }>
> = {
  400: { kind: "bad-request", say: (where, detail) => `${where} refused the request${detail}` },
  401: {
    kind: "unauthorized",
    say: (where) => `${where} rejected the admin token (set --token or ADMIN_TOKEN)`,
  },
  404: { kind: "not-found", say: (where, detail) => `${where}: not found${detail}` },
  409: { kind: "conflict", say: (where, detail) => `${where}: conflict${detail}` },
};

function statusError(endpoint: AdminEndpoint, status: number, body: unknown): AdminApiError {
  const apiMessage = apiMessageOf(body);
  const detail = apiMessage === undefined ? "" : `: ${apiMessage}`;
  const { kind, say } = STATUS_ERRORS[status] ?? {
    kind: "failed",
    say: (where: string) => `${where} failed with HTTP ${status}${detail}`,
  };
  return new AdminApiError(kind, endpoint.service, say(describeEndpoint(endpoint), detail), {
    status,
    apiMessage,
  });
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Sends `method path` with an optional JSON body and returns the parsed JSON reply of a 2xx
 * answer (`undefined` for an empty body, as with 204).
 * @throws {@link AdminApiError} for every failure, transport or HTTP.
 */
export async function adminRequest(
  endpoint: AdminEndpoint,
  method: HttpMethod,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: `Bearer ${endpoint.token}`,
  };
  if (body !== undefined) headers["content-type"] = "application/json";
  const url = `${endpoint.baseUrl.replace(/\/+$/, "")}${path}`;
  let response: Response;
  let json: unknown;
  try {
    response = await endpoint.fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
    json = await readJson(response);
  } catch (error) {
    throw transportError(endpoint, error);
  }
  if (!response.ok) throw statusError(endpoint, response.status, json);
  return json;
}

/** The error for a 2xx reply whose JSON is not what the API documents. */
export function badReply(endpoint: AdminEndpoint, problem: string): AdminApiError {
  return new AdminApiError(
    "bad-reply",
    endpoint.service,
    `${describeEndpoint(endpoint)} sent an unexpected reply (${problem})`,
  );
}
