import { COUNTRY_NAMES } from "./countryNames";
import { countryName, countryOptions } from "./places";

describe("the countries' names", () => {
  it("are CLDR's English names (else: node scripts/country-names.mjs)", () => {
    const cldr = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });
    for (const [code, name] of Object.entries(COUNTRY_NAMES)) expect([code, name]).toEqual([code, cldr.of(code)]);
  });

  it("list every partner country once, the United States not, in name order", () => {
    const options = countryOptions();
    expect(options).toHaveLength(249);
    expect(options.map((o) => o.value)).toContain("XK");
    expect(options.map((o) => o.value)).not.toContain("US");
    const labels = options.map((o) => o.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, "en")));
    expect(countryName("jp")).toBe("Japan");
    expect(countryName("ZZ")).toBe("ZZ");
  });
});
