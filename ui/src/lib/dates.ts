// Dates are typed and shown as ÅÅÅÅ-MM-DD, the Swedish standard form, whatever locale the
// web view has (WebKit's own date field follows the system locale).

export type DateInput = { ok: true; value: string | null } | { ok: false };

/** Parses a typed date: empty means no date; anything else must be a real ÅÅÅÅ-MM-DD day. */
export function parseDate(text: string): DateInput {
  const v = text.trim();
  if (v === "") return { ok: true, value: null };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return { ok: false };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return { ok: false };
  return { ok: true, value: v };
}

/** Parses a whole number of hours, months …: empty means none. */
export function parseCount(text: string): { ok: true; value: number | null } | { ok: false } {
  const v = text.trim();
  if (v === "") return { ok: true, value: null };
  if (!/^\d{1,6}$/.test(v)) return { ok: false };
  return { ok: true, value: Number(v) };
}

/** A day as ÅÅÅÅ-MM-DD in the computer's own time zone (today unless given). */
export function localDay(d: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
