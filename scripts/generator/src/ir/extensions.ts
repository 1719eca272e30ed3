/**
 * The spec extensions presign reads, each checked for its type:
 * - `x-presign-option` (security scheme): the client option that holds the credential;
 * - `x-presign-env` (security scheme, server variable): the environment variable read when the option is not given;
 * - `x-presign-secret: false` (security scheme): an identifier, not redacted from errors and logs;
 * - `x-presign-required: true` (server variable): the default is not safe, the user must choose;
 * - `x-presign-name` (parameter): the key of the input field, instead of the camelCase wire name;
 * - `x-presign-idempotent` (operation): whether it may be repeated, instead of what its method says;
 * - `x-presign-credentials` (info): where a user gets the credentials, in a sentence or two of Markdown;
 * - `x-presign-url` (operation): where the success body's presigned URL(s) sit (read in presign-url.ts).
 */
import type { Problems } from "../spec/problems.js";

type Extensions = { [key: `x-${string}`]: unknown };

export function stringExtension(node: Extensions, name: `x-presign-${string}`, pointer: string, problems: Problems): string | undefined {
  const value = node[name];
  if (value === undefined || (typeof value === "string" && value)) return value;
  problems.add(pointer, `${name} must be a non-empty string`);
  return undefined;
}

export function booleanExtension(node: Extensions, name: `x-presign-${string}`, pointer: string, problems: Problems): boolean | undefined {
  const value = node[name];
  if (value === undefined || typeof value === "boolean") return value;
  problems.add(pointer, `${name} must be true or false`);
  return undefined;
}
