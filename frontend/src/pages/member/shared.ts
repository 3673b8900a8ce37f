// Words and lists the member portal shares: dues bands, countries, continents,
// programme areas, and the signed-in member's id.
import { useAuth } from "../../auth/AuthProvider";
import type { DuesBand, PartnershipProgramArea } from "../../gql/graphql";

export const BAND_LABELS: Record<DuesBand, string> = {
  UP_TO_25K: "Up to 25,000 people",
  FROM_25K_TO_50K: "25,001 to 50,000 people",
  FROM_50K_TO_100K: "50,001 to 100,000 people",
  FROM_100K_TO_300K: "100,001 to 300,000 people",
  FROM_300K_TO_500K: "300,001 to 500,000 people",
  OVER_500K: "Over 500,000 people",
};

export function bandLabel(band: string | null | undefined): string {
  return band ? (BAND_LABELS[band as DuesBand] ?? band) : "—";
}

export const PROGRAM_AREAS: { value: PartnershipProgramArea; label: string }[] = [
  { value: "ARTS_CULTURE", label: "Arts and culture" },
  { value: "YOUTH_EDUCATION", label: "Youth and education" },
  { value: "BUSINESS_TRADE", label: "Business and trade" },
  { value: "COMMUNITY_DEVELOPMENT", label: "Community development" },
];

export function areaLabel(area: string): string {
  return PROGRAM_AREAS.find((a) => a.value === area)?.label ?? area;
}

export const CONTINENTS = [
  { value: "AF", label: "Africa" },
  { value: "AN", label: "Antarctica" },
  { value: "AS", label: "Asia" },
  { value: "EU", label: "Europe" },
  { value: "NA", label: "North America" },
  { value: "OC", label: "Oceania" },
  { value: "SA", label: "South America" },
];

// ISO 3166-1 alpha-2, plus XK (Kosovo) as the partnerships service accepts it.
const ISO_COUNTRIES = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO
IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR
PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK
TL TM TN TO TR TT TV TW TZ UA UG UM UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW`.split(/\s+/);

let regionNames: Intl.DisplayNames | null = null;

export function countryName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

let countryOptions: { value: string; label: string }[] | null = null;

/** Countries abroad (the United States is not a partner country), by name. */
export function countries(): { value: string; label: string }[] {
  countryOptions ??= ISO_COUNTRIES.map((code) => ({ value: code, label: countryName(code) })).sort((a, b) =>
    a.label.localeCompare(b.label),
  );
  return countryOptions;
}

/** The signed-in member community's id (pages sit inside RequireRole member). */
export function useMemberId(): string {
  return useAuth().identity.memberId ?? "";
}

/** Dollars typed in a form as cents for the API. */
export function toCents(amount: number | string | null | undefined): number {
  const value = typeof amount === "string" ? Number(amount) : (amount ?? 0);
  return Number.isFinite(value) ? Math.round(value * 100) : 0;
}

export function fromCents(cents: number | null | undefined): number | string {
  return cents == null ? "" : cents / 100;
}
