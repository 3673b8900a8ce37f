// Formatting in the user's locale, one place for the whole app.

// Each formatter made once: making one loads the locale's data, which costs a
// phone more than formatting a whole page (docs/webapp.md).
const money = new Map<string, Intl.NumberFormat>();
let number: Intl.NumberFormat | undefined;
let date: Intl.DateTimeFormat | undefined;
let dateTime: Intl.DateTimeFormat | undefined;

export function formatMoney(cents: number, currency = "USD"): string {
  const code = currency.toUpperCase();
  let format = money.get(code);
  if (!format) money.set(code, (format = new Intl.NumberFormat(undefined, { style: "currency", currency: code })));
  return format.format(cents / 100);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const value = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(value.getTime())) return iso;
  date ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
  return date.format(value);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return iso;
  dateTime ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return dateTime.format(value);
}

/** 3850 -> "3,850", as the app's English writes it. A count is grouped here:
 * ICU's number formatting costs a phone some 50 ms to start, on every public
 * page (docs/webapp.md). */
export function formatNumber(value: number): string {
  if (!Number.isSafeInteger(value)) {
    number ??= new Intl.NumberFormat("en-US");
    return number.format(value);
  }
  const grouped = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return value < 0 ? `-${grouped}` : grouped;
}

/** ENUM_VALUE -> "Enum value" for labels. */
export function humanize(value: string | null | undefined): string {
  if (!value) return "—";
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
