const REDACTED = "[REDACTED]";

/**
 * A query parameter that carries a signature or credential in S3, GCS, Azure and R2 presigned URLs
 * (and API keys): after `?` or `&`, HTML's `&amp;`, or percent-encoded inside another URL.
 */
const SIGNED_PARAM =
  /((?:[?&]|&amp;|%3F|%26)(?:x-amz-(?:signature|credential|security-token)|x-goog-(?:signature|credential)|signature|sig|token|access_token|api_key|apikey|key)(?:=|%3D))(?:(?!%26|&amp;)[^&#\s"'<>])*/gi;

/** Replaces signature and credential values in every URL of a text; the rest stays readable. */
export const redactUrl = (text: string): string => text.replace(SIGNED_PARAM, `$1${REDACTED}`);

/** Removes secrets and URL signatures from a text; with `maxLength`, also cuts it to an excerpt of that many characters. */
export type Redactor = (text: string, maxLength?: number) => string;

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/**
 * How a secret looks inside base64 text (a Basic header, a token, an echoed body): its own encoding,
 * and the part of the encoding that depends on the secret alone when its bytes start at any of the
 * three offsets of a longer text; standard and URL-safe alphabets, without padding.
 */
function base64Forms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const forms = [base64(bytes)];
  for (const offset of [0, 1, 2]) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    // Characters mixing in a neighbouring byte differ from text to text: keep those made of the secret's bytes only.
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor((shifted.length * 4) / 3);
    forms.push(base64(shifted).slice(start, end));
  }
  const all = forms.flatMap((form) => [form, form.replace(/=+$/, "")]);
  return [...all, ...all.map((form) => form.replaceAll("+", "-").replaceAll("/", "_"))];
}

/**
 * Returns a redactor that removes the given secrets (raw, URL-encoded and base64) and every URL
 * signature from a text.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = secrets.filter(Boolean).flatMap((secret) => [secret, encodeURIComponent(secret), ...base64Forms(secret)]);
  // Short fragments would hide ordinary words; longest first, so a whole form wins over a part of it.
  const needles = [...new Set(forms)].filter((form) => form.length >= 6).sort((a, b) => b.length - a.length);
  const longest = needles[0]?.length ?? 0;
  const redact = (text: string) => needles.reduce((out, needle) => out.split(needle).join(REDACTED), redactUrl(text));
  return (text, maxLength) => {
    if (maxLength === undefined) return redact(text);
    // Redacted before it is cut, so no secret is left half visible at the cut; the window bounds the work.
    const redacted = redact(text.slice(0, maxLength + longest + 1));
    return redacted.length > maxLength ? `${redacted.slice(0, maxLength)}…` : redacted;
  };
}
