/**
 * How a value reads inside a message, shared by the program's config errors (plan/issues.ts re-exports it) and the
 * pack's violations.
 */

/** Renders a value for a message: JSON, shortened; `missing` for undefined. */
export function renderValue(value: unknown): string {
  if (value === undefined) {
    return "missing";
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
