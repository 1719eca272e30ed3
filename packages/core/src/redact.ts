const REDACTED = "[REDACTED]";

/**
 * A query parameter that carries a signature or credential in S3, GCS, Azure and R2 presigned URLs
 * (and API keys): after `?` or `&`, HTML's `&amp;`, or percent-encoded inside another URL.
 */
const SIGNED_PARAM =
  /((?:[?&]|&amp;|%3F|%26)(?:x-amz-(?:signature|credential|security-token)|x-goog-(?:signature|credential)|signature|sig|token|access_token|api_key|apikey|key)(?:=|%3D))(?:(?!%26|&amp;)[^&#\s"'<>])*/gi;

/** Replaces signature and credential values in every URL of a text; the rest stays readable. */
export const redactUrl = (text: string): string => text.replace(SIGNED_PARAM, `$1${REDACTED}`);

/** Returns a function that removes the given secrets (raw and URL-encoded) and every URL signature from a text. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const needles = [...new Set(secrets.flatMap((s) => (s ? [s, encodeURIComponent(s)] : [])))].sort((a, b) => b.length - a.length);
  return (text) => needles.reduce((out, needle) => out.split(needle).join(REDACTED), redactUrl(text));
}
