// What a refund may take: all that is left, or part of it (1 cent .. what is left).

export interface RefundValues {
  mode: "full" | "partial";
  /** In the currency's units (dollars), as typed. */
  amount: number | string;
  reason: string;
}

export const REASON_MAX = 500;

/** Cents from what was typed ("12.34" -> 1234); null when it is no amount. */
export function toCents(amount: number | string): number | null {
  const value = typeof amount === "number" ? amount : Number(amount);
  if (amount === "" || !Number.isFinite(value)) return null;
  return Math.round(value * 100);
}

/** Null when the amount may be refunded, else why not. */
export function refundAmountError(amount: number | string, leftCents: number, format: (cents: number) => string): string | null {
  const cents = toCents(amount);
  if (cents === null) return "Enter the amount to refund";
  if (cents < 1) return "Enter an amount above zero";
  if (cents > leftCents) return `At most ${format(leftCents)} can still be refunded`;
  return null;
}
