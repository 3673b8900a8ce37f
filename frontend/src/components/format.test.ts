import { formatDate, formatMoney, formatNumber } from "./format";

describe("formatNumber", () => {
  it("groups a count as Intl's English does", () => {
    const english = new Intl.NumberFormat("en-US");
    for (const n of [0, 7, 42, 999, 1000, 3850, 65536, 1234567, -1234, Number.MAX_SAFE_INTEGER]) {
      expect(formatNumber(n)).toBe(english.format(n));
    }
  });

  it("leaves fractions to Intl", () => {
    expect(formatNumber(1234.5)).toBe("1,234.5");
  });
});

describe("formatters made once", () => {
  it("format as a fresh formatter would, again and again", () => {
    const fresh = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });
    expect(formatMoney(123456)).toBe(fresh.format(1234.56));
    expect(formatMoney(99, "usd")).toBe(fresh.format(0.99));
    expect(formatMoney(500, "EUR")).toBe(new Intl.NumberFormat(undefined, { style: "currency", currency: "EUR" }).format(5));
    expect(formatDate("2026-03-01")).toBe(new Date("2026-03-01T00:00:00").toLocaleDateString(undefined, { dateStyle: "medium" }));
    expect(formatDate(null)).toBe("—");
  });
});
