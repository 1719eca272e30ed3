const REDACTED = "[REDACTED]";

/** Query parameters that carry a signature or credential in S3, GCS, Azure and R2 presigned URLs. */
const SECRET_QUERY = /^(x-amz-(signature|credential|security-token)|x-goog-(signature|credential)|signature|sig|token|access_token|api_key|apikey|key)$/i;

/** Replaces the values of signature and credential query parameters; the rest of the URL stays readable. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const [query = "", hash] = url.slice(q + 1).split("#", 2);
  const params = query.split("&").map((pair) => {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {}
    return eq >= 0 && SECRET_QUERY.test(decoded) ? `${name}=${REDACTED}` : pair;
  });
  return `${url.slice(0, q)}?${params.join("&")}${hash === undefined ? "" : `#${hash}`}`;
}

const URL_IN_TEXT = /https?:\/\/[^\s"'<>]+/g;

/**
 * Returns a function that removes the given secrets (and their URL-encoded forms) and every
 * presigned-URL signature from a piece of text.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const needles = [...new Set(secrets.flatMap((s) => (s ? [s, encodeURIComponent(s)] : [])))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(URL_IN_TEXT, redactUrl);
    for (const needle of needles) out = out.split(needle).join(REDACTED);
    return out;
  };
}
