// The harness must not silently drop what the program declares: every input object is checked
// against the fields the harness knows how to materialise, and anything else fails the run.
export class UnsupportedInputError extends Error {}

export function assertKnownFields(value: object, known: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new UnsupportedInputError(
      `${where}: the e2e harness does not know input field(s) ${unknown.map((k) => `"${k}"`).join(", ")}; ` +
        "map them in test/e2e/harness (and its README table) before the program may use them",
    );
  }
}

export function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UnsupportedInputError(`${where}: expected an object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

export function asRecords(value: unknown, where: string): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UnsupportedInputError(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value.map((item, i) => asRecord(item, `${where}[${i}]`));
}

export function asStrings(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new UnsupportedInputError(`${where}: expected a list of strings, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

export function asString(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UnsupportedInputError(`${where}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

export function asNumber(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") throw new UnsupportedInputError(`${where}: expected a number, got ${JSON.stringify(value)}`);
  return value;
}

export function asBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw new UnsupportedInputError(`${where}: expected a boolean, got ${JSON.stringify(value)}`);
  return value;
}

export function asStringMap(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const record = asRecord(value, where);
  for (const [key, item] of Object.entries(record)) asString(item, `${where}.${key}`);
  return record as Record<string, string>;
}

/** The provider's label lists (`[{ label, value }]`) as Docker's label map. */
export function asLabelMap(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  return Object.fromEntries(
    asRecords(value, where).map((entry, i) => {
      assertKnownFields(entry, ["label", "value"], `${where}[${i}]`);
      return [asString(entry.label, `${where}[${i}].label`) as string, asString(entry.value, `${where}[${i}].value`) ?? ""];
    }),
  );
}
