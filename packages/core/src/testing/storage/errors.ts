/** The S3-style errors of the loopback storage server: thrown inside it, answered as XML, thrown to tests by its methods. */

/** An S3 error: the status and code a client sees, plus the extra elements S3 puts in its XML (`Key`, `Condition`, …). */
export class StorageServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, string | number> = {},
    /** Response headers the error needs, such as `Content-Range: bytes *\/size` on a 416. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "StorageServerError";
  }
}

/** The body S3 answers with: `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`. */
export function errorXml(error: StorageServerError, requestId: string): string {
  const details = Object.entries(error.details).map(([name, value]) => element(name, String(value)));
  const elements = [element("Code", error.code), element("Message", error.message), ...details, element("RequestId", requestId)];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${elements.join("")}</Error>`;
}

/** What S3 says for the codes a test may ask `failPart` to answer with. */
export function messageOfCode(code: string): string {
  return DEFAULT_MESSAGES[code] ?? `Loopback storage answered ${code}.`;
}

const DEFAULT_MESSAGES: Record<string, string> = {
  InternalError: "We encountered an internal error. Please try again.",
  ServiceUnavailable: "Please reduce your request rate.",
  SlowDown: "Please reduce your request rate.",
  RequestTimeout: "Your socket connection to the server was not read from or written to within the timeout period.",
  AccessDenied: "Access Denied",
  NoSuchUpload: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
  EntityTooSmall: "Your proposed upload is smaller than the minimum allowed object size.",
};

export const errors = {
  accessDenied: () => new StorageServerError(403, "AccessDenied", "Access Denied"),
  expired: (expiresAt: Date, now: Date) =>
    new StorageServerError(403, "AccessDenied", "Request has expired", { Expires: expiresAt.toISOString(), ServerTime: now.toISOString() }),
  notYetValid: () => new StorageServerError(403, "AccessDenied", "Request is not valid yet"),
  badQueryAuth: (message: string) => new StorageServerError(400, "AuthorizationQueryParametersError", message),
  signatureMismatch: () =>
    new StorageServerError(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    ),
  headersNotSigned: (names: string[]) =>
    new StorageServerError(403, "SignatureDoesNotMatch", "There were headers present in the request which were not signed", {
      HeadersNotSigned: names.join(", "),
    }),
  missingContentLength: () => new StorageServerError(411, "MissingContentLength", "You must provide the Content-Length HTTP header."),
  invalidDigest: (given: string) =>
    new StorageServerError(400, "InvalidDigest", "The Content-MD5 you specified was not valid.", { "Content-MD5": given }),
  badDigest: (expected: string, computed: string) =>
    new StorageServerError(400, "BadDigest", "The Content-MD5 you specified did not match what we received.", {
      ExpectedDigest: expected,
      CalculatedDigest: computed,
    }),
  noSuchKey: (key: string) => new StorageServerError(404, "NoSuchKey", "The specified key does not exist.", { Key: key }),
  noSuchUpload: (uploadId: string) => new StorageServerError(404, "NoSuchUpload", messageOfCode("NoSuchUpload"), { UploadId: uploadId }),
  invalidPartNumber: () => new StorageServerError(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive"),
  invalidPart: (partNumber: number) =>
    new StorageServerError(
      400,
      "InvalidPart",
      "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      { PartNumber: partNumber },
    ),
  invalidPartOrder: () =>
    new StorageServerError(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number."),
  noParts: () =>
    new StorageServerError(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema."),
  entityTooSmall: (partNumber: number, size: number, minimum: number) =>
    new StorageServerError(400, "EntityTooSmall", messageOfCode("EntityTooSmall"), {
      PartNumber: partNumber,
      ProposedSize: size,
      MinSizeAllowed: minimum,
    }),
  preconditionFailed: (condition: string) =>
    new StorageServerError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", { Condition: condition }),
  rangeNotSatisfiable: (range: string, size: number) =>
    new StorageServerError(
      416,
      "InvalidRange",
      "The requested range is not satisfiable",
      { RangeRequested: range, ActualObjectSize: size },
      { "content-range": `bytes */${size}` },
    ),
  invalidUri: () => new StorageServerError(400, "InvalidURI", "Couldn't parse the specified URI."),
  noKey: () => new StorageServerError(400, "InvalidRequest", "This loopback storage serves objects only: the path must name a key."),
  methodNotAllowed: (method: string) =>
    new StorageServerError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", { Method: method }),
  corsDisabled: () => new StorageServerError(403, "CORSResponse", "CORS is not enabled for this bucket."),
  bodyNotKept: (key: string) =>
    new StorageServerError(501, "NotImplemented", "This loopback storage was started with keepBodies: false, so it cannot serve the object.", {
      Key: key,
    }),
};

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
