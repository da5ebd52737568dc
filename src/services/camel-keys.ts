/**
 * Services answer in camelCase, whatever the database calls a column (`exhibit_ref` → `exhibitRef`); the JSON API
 * turns answers back into its snake_case (web/features/api/snake-keys.ts), so each layer has one shape.
 */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type CamelKeys<T> = T extends readonly (infer U)[]
  ? CamelKeys<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelCase<K> : K]: CamelKeys<T[K]> }
    : T;

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A row or answer with its keys, and its nested objects' keys, in camelCase (values are left as they are). */
export function camelKeys<T>(value: T): CamelKeys<T> {
  if (Array.isArray(value)) return value.map((item: unknown) => camelKeys(item)) as CamelKeys<T>;
  // Only plain objects: a Date or Buffer is a value, not a record.
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return value as CamelKeys<T>;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [camel(key), camelKeys(item as unknown)]),
  ) as CamelKeys<T>;
}
