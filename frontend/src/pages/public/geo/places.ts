// Names for the codes the API uses: countries (ISO 3166-1 alpha-2, names from
// CLDR), continents (GeoNames), U.S. states (USPS), focus regions and
// programme areas.
import type { PartnershipProgramArea } from "../../../gql/graphql";
import { COUNTRY_NAMES } from "./countryNames";

/** "JP" -> "Japan"; the code itself for a code not in the list. */
export function countryName(code: string): string {
  return COUNTRY_NAMES[code.toUpperCase()] ?? code;
}

/** Lower case, accents and the letters NFD leaves alone folded: "Tromsø" -> "tromso". */
export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .replace(/œ/g, "oe")
    .replace(/ß/g, "ss")
    .replace(/ł/g, "l")
    .replace(/[đð]/g, "d")
    .replace(/þ/g, "th")
    .replace(/ı/g, "i")
    .replace(/[’']/g, "");
}

export interface Option {
  value: string;
  label: string;
}

let countries: Option[] | null = null;

/** Every country a partner may be in, by name. */
export function countryOptions(): Option[] {
  countries ??= Object.entries(COUNTRY_NAMES).map(([value, label]) => ({ value, label }));
  return countries;
}

export const CONTINENTS: readonly Option[] = [
  { value: "AF", label: "Africa" },
  { value: "AN", label: "Antarctica" },
  { value: "AS", label: "Asia" },
  { value: "EU", label: "Europe" },
  { value: "NA", label: "North America" },
  { value: "OC", label: "Oceania" },
  { value: "SA", label: "South America" },
];

export function continentName(code: string): string {
  return CONTINENTS.find((c) => c.value === code)?.label ?? code;
}

/** USPS codes of the 50 states, DC and the inhabited territories (as members accepts). */
export const US_STATES: readonly Option[] = [
  ["AL", "Alabama"], ["AK", "Alaska"], ["AZ", "Arizona"], ["AR", "Arkansas"], ["CA", "California"],
  ["CO", "Colorado"], ["CT", "Connecticut"], ["DE", "Delaware"], ["DC", "District of Columbia"],
  ["FL", "Florida"], ["GA", "Georgia"], ["HI", "Hawaii"], ["ID", "Idaho"], ["IL", "Illinois"],
  ["IN", "Indiana"], ["IA", "Iowa"], ["KS", "Kansas"], ["KY", "Kentucky"], ["LA", "Louisiana"],
  ["ME", "Maine"], ["MD", "Maryland"], ["MA", "Massachusetts"], ["MI", "Michigan"], ["MN", "Minnesota"],
  ["MS", "Mississippi"], ["MO", "Missouri"], ["MT", "Montana"], ["NE", "Nebraska"], ["NV", "Nevada"],
  ["NH", "New Hampshire"], ["NJ", "New Jersey"], ["NM", "New Mexico"], ["NY", "New York"],
  ["NC", "North Carolina"], ["ND", "North Dakota"], ["OH", "Ohio"], ["OK", "Oklahoma"], ["OR", "Oregon"],
  ["PA", "Pennsylvania"], ["RI", "Rhode Island"], ["SC", "South Carolina"], ["SD", "South Dakota"],
  ["TN", "Tennessee"], ["TX", "Texas"], ["UT", "Utah"], ["VT", "Vermont"], ["VA", "Virginia"],
  ["WA", "Washington"], ["WV", "West Virginia"], ["WI", "Wisconsin"], ["WY", "Wyoming"],
  ["AS", "American Samoa"], ["GU", "Guam"], ["MP", "Northern Mariana Islands"], ["PR", "Puerto Rico"],
  ["VI", "U.S. Virgin Islands"],
].map(([value, label]) => ({ value: value as string, label: label as string }));

export function stateName(code: string | null | undefined): string {
  if (!code) return "—";
  return US_STATES.find((s) => s.value === code)?.label ?? code;
}

export const FOCUS_REGIONS: readonly Option[] = [
  { value: "AFRICA", label: "Africa" },
  { value: "EAST_ASIA", label: "East Asia" },
  { value: "LATIN_AMERICA", label: "Latin America" },
  { value: "SOUTHEAST_ASIA", label: "Southeast Asia" },
];

// The API's programme areas, for the directory's filter and the member forms.
export const PROGRAM_AREAS: readonly { value: PartnershipProgramArea; label: string }[] = [
  { value: "ARTS_CULTURE", label: "Arts and culture" },
  { value: "BUSINESS_TRADE", label: "Business and trade" },
  { value: "COMMUNITY_DEVELOPMENT", label: "Community development" },
  { value: "YOUTH_EDUCATION", label: "Youth and education" },
];

export const PARTNERSHIP_TYPES: readonly Option[] = [
  { value: "SISTER", label: "Sister city" },
  { value: "FRIENDSHIP", label: "Friendship city" },
];

export function optionLabel(options: readonly Option[], value: string | null | undefined): string {
  if (!value) return "—";
  return options.find((o) => o.value === value)?.label ?? value;
}
