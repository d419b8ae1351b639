// Whether the digest-uri of credentials designates the Request-URI of the request
// that carries them (RFC 7616 §3.4.6, RFC 3261 §22.4). An exact match is the norm;
// RFC 3261 §19.1.4 makes the scheme and the host case-insensitive, so a URI that
// differs only there is accepted too. Anything else must match exactly.

/** Lower-cases the scheme and the host[:port] of a URI; the rest is kept as written. */
function withCanonicalSchemeAndHost(uri: string): string {
  const colon = uri.indexOf(":");
  if (colon <= 0) return uri;
  const scheme = uri.slice(0, colon).toLowerCase();
  // RFC 3261 §19.1.1: userinfo ends at "@" (which cannot appear unescaped before it);
  // hostport ends at the first ";" (uri-parameters) or "?" (headers) after it.
  const at = uri.indexOf("@", colon + 1);
  const hostStart = at === -1 ? colon + 1 : at + 1;
  let hostEnd = hostStart;
  while (hostEnd < uri.length && uri[hostEnd] !== ";" && uri[hostEnd] !== "?") hostEnd++;
  return `${scheme}${uri.slice(colon, hostStart)}${uri.slice(hostStart, hostEnd).toLowerCase()}${uri.slice(hostEnd)}`;
}

export function digestUriMatches(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  return withCanonicalSchemeAndHost(digestUri) === withCanonicalSchemeAndHost(requestUri);
}
