// Reading the admin APIs' JSON replies into typed values, failing with a named field.

/** Thrown when a reply lacks a documented field or has one of the wrong type. */
export class ReplyShapeError extends Error {
  override name = "ReplyShapeError";
}

/** A JSON object whose fields are read one by one. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function readObject(value: unknown, what: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ReplyShapeError(`${what} is not an object`);
  }
  return value as JsonObject;
}

export function readString(object: JsonObject, key: string): string {
  const value = object[key];
  if (typeof value !== "string") throw new ReplyShapeError(`"${key}" is not a string`);
  return value;
}

export function readNumber(object: JsonObject, key: string): number {
  const value = object[key];
  if (typeof value !== "number") throw new ReplyShapeError(`"${key}" is not a number`);
  return value;
}

/** A string field that may be absent or null (both read as null). */
export function readOptionalString(object: JsonObject, key: string): string | null {
  return object[key] === undefined || object[key] === null ? null : readString(object, key);
}

/** A number field that may be absent or null (both read as null). */
export function readOptionalNumber(object: JsonObject, key: string): number | null {
  return object[key] === undefined || object[key] === null ? null : readNumber(object, key);
}

export function readArray(object: JsonObject, key: string): readonly unknown[] {
  const value = object[key];
  if (!Array.isArray(value)) throw new ReplyShapeError(`"${key}" is not an array`);
  return value;
}

/** An array of strings that may be absent or null (both read as empty). */
export function readOptionalStrings(object: JsonObject, key: string): readonly string[] {
  if (object[key] === undefined || object[key] === null) return [];
  return readArray(object, key).map((item) => {
    if (typeof item !== "string") throw new ReplyShapeError(`"${key}" holds a non-string`);
    return item;
  });
}
