/** Naming rules shared by every emitter, so a method, a type and a README heading always agree. */

/** `get_file-download URL` → `getFileDownloadURL`: parts split on anything but letters and digits. */
export function camelCase(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return parts.map((part, i) => (i === 0 ? part[0]!.toLowerCase() : part[0]!.toUpperCase()) + part.slice(1)).join("");
}

/** `get_file_download_url` → `GetFileDownloadUrl`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** The HTTP methods an operation may use, in the order a path item's operations are read. */
export const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
