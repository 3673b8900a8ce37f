import { eligibilityReasons, qualifyingPartnerships, type Rules } from "./eligibility";

const rules: Rules = {
  goodStandingRequired: true,
  partnershipRequirement: "ACTIVE",
  maxPopulation: 100000,
  allowedCountries: [],
  coolingOffYears: 2,
};
const active = { id: "p-1", status: "ACTIVE", recognized: true, country: "JP" };

describe("eligibility preview", () => {
  it("passes a community in good standing with an active partnership", () => {
    expect(eligibilityReasons(rules, { goodStanding: true, population: 42000, partnerships: [active] }, null)).toEqual([]);
  });

  it("lists every rule that fails", () => {
    const reasons = eligibilityReasons(
      { ...rules, allowedCountries: ["MX"] },
      { status: "LAPSED", goodStanding: false, population: 250000, partnerships: [active] },
      "2026-06-01T00:00:00Z",
      new Date("2027-01-01T00:00:00Z"),
    );
    expect(reasons).toHaveLength(4);
    expect(reasons[0]).toMatch(/not in good standing \(membership lapsed\)/);
    expect(reasons[1]).toMatch(/active partnership with a community in MX/);
    expect(reasons[2]).toMatch(/above the programme's maximum/);
    expect(reasons[3]).toMatch(/wait 2 year\(s\)/);
  });

  it("counts only partnerships of the kind the programme asks for", () => {
    const dormant = { id: "p-2", status: "DORMANT", recognized: false, country: "FR" };
    expect(qualifyingPartnerships(rules, [active, dormant])).toEqual([active]);
    expect(qualifyingPartnerships({ ...rules, partnershipRequirement: "NONE" }, [active, dormant])).toHaveLength(2);
    expect(qualifyingPartnerships({ ...rules, partnershipRequirement: "RECOGNIZED" }, [dormant])).toEqual([]);
  });
});
