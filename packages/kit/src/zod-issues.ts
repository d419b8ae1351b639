// One-line summaries of zod validation errors, for error replies and logs.

import type { z } from "zod";

/** `"contacts.0.uri: Invalid input: expected string; cseq: Too big…"`, at most `max` chars. */
export function summarizeIssues(error: z.ZodError, max = 300): string {
  const text = error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
