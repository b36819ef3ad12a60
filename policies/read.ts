/**
 * Defensive reading of resource properties, for the facts (./facts.ts).
 *
 * A value unknown at preview (CrossGuard throws when a policy touches one) or redacted by the offline runner
 * ("[secret]") reads as `undefined`, so a rule never fails on what it cannot see and never trips CrossGuard's
 * downgrade of a whole policy to advisory. Objects and arrays are copied one level, dropping unreadable entries.
 */

/** What the offline runner writes in place of a secret value. */
export const SECRET_PLACEHOLDER = "[secret]";

type Path = readonly (string | number)[];

function isUnknownValueError(e: unknown): boolean {
  return e instanceof Error && e.constructor.name === "UnknownValueError";
}

/** The value at `path`; undefined when missing, unknown at preview, or a redacted secret. */
export function read(value: unknown, ...path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) {
      return undefined;
    }
    try {
      current = (current as Record<string | number, unknown>)[key];
    } catch (e) {
      if (isUnknownValueError(e)) {
        return undefined;
      }
      throw e;
    }
  }
  return current === SECRET_PLACEHOLDER ? undefined : current;
}

/** Whether the key at `path` is set at all, even to a value unknown at preview (reading it is not needed). */
export function present(value: unknown, ...path: Path): boolean {
  const last = path[path.length - 1];
  const parent = read(value, ...path.slice(0, -1));
  if (last === undefined || typeof parent !== "object" || parent === null) {
    return false;
  }
  try {
    return (parent as Record<string | number, unknown>)[last] !== undefined;
  } catch (e) {
    if (isUnknownValueError(e)) {
      return true;
    }
    throw e;
  }
}

export function str(value: unknown, ...path: Path): string | undefined {
  const v = read(value, ...path);
  return typeof v === "string" ? v : undefined;
}

export function num(value: unknown, ...path: Path): number | undefined {
  const v = read(value, ...path);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function bool(value: unknown, ...path: Path): boolean | undefined {
  const v = read(value, ...path);
  return typeof v === "boolean" ? v : undefined;
}

/** An array's readable elements (unknown ones dropped); undefined when not an array. */
export function list(value: unknown, ...path: Path): unknown[] | undefined {
  const v = read(value, ...path);
  if (!Array.isArray(v)) {
    return undefined;
  }
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const item = read(v, i);
    if (item !== undefined) {
      out.push(item);
    }
  }
  return out;
}

export function strings(value: unknown, ...path: Path): string[] | undefined {
  return list(value, ...path)?.filter((x): x is string => typeof x === "string");
}

/** An object's readable entries (unknown ones dropped); undefined when not a plain object. */
export function record(value: unknown, ...path: Path): Record<string, unknown> | undefined {
  const v = read(value, ...path);
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const item = read(v, key);
    if (item !== undefined) {
      out[key] = item;
    }
  }
  return out;
}

/** Only the string-valued entries of an object. */
export function stringMap(value: unknown, ...path: Path): Record<string, string> {
  const r = record(value, ...path) ?? {};
  return Object.fromEntries(Object.entries(r).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** A helm values path written `a.b.c` (as in REMOTE_CONTROL_PLANE_VALUES). */
export function valueAt(values: Record<string, unknown>, dotted: string): unknown {
  return read(values, ...dotted.split("."));
}
