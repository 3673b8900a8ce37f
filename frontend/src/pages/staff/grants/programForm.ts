// The programme form's values, and how they become a GrantProgramInput (and back).
import { randomId } from "@mantine/hooks";
import dayjs from "dayjs";

import type { GrantPartnershipRequirement, GrantProgramInput } from "../../../gql/graphql";

export const PROGRAM_AREAS = ["ARTS_CULTURE", "YOUTH_EDUCATION", "BUSINESS_TRADE", "COMMUNITY_DEVELOPMENT"] as const;
export const AREA_LABELS: Record<string, string> = {
  ARTS_CULTURE: "Arts and culture",
  YOUTH_EDUCATION: "Youth and education",
  BUSINESS_TRADE: "Business and trade",
  COMMUNITY_DEVELOPMENT: "Community development",
};
export const REQUIREMENT_LABELS: Record<GrantPartnershipRequirement, string> = {
  NONE: "Any partnership of the applicant",
  ACTIVE: "An active partnership",
  RECOGNIZED: "A recognized partnership",
};

/** The form keeps times as the picker's local "YYYY-MM-DD HH:mm:ss". */
const LOCAL_TIME = "YYYY-MM-DD HH:mm:ss";

type Num = number | string;

export interface AnchorRow {
  rowId: string;
  score: Num;
  text: string;
}

export interface CriterionRow {
  rowId: string;
  key: string;
  name: string;
  maxScore: Num;
  weight: Num;
  anchors: AnchorRow[];
}

export interface ProgramFormValues {
  name: string;
  description: string;
  areas: string[];
  opensAt: string | null;
  closesAt: string | null;
  currency: string;
  /** In the currency's main unit (dollars), as typed; sent in cents. */
  budget: Num;
  maxAward: Num;
  eligibility: {
    goodStandingRequired: boolean;
    partnershipRequirement: GrantPartnershipRequirement;
    maxPopulation: Num;
    allowedCountries: string[];
    coolingOffYears: Num;
  };
  rubric: CriterionRow[];
  reviewersPerApplication: Num;
  blindReview: boolean;
  disagreementThreshold: Num;
  panel: string[];
}

export interface ProgramLike {
  name: string;
  description: string;
  areas: readonly string[];
  opensAt: string;
  closesAt: string;
  budgetCents: number;
  maxAwardCents: number;
  currency: string;
  eligibility: {
    goodStandingRequired: boolean;
    partnershipRequirement: GrantPartnershipRequirement;
    maxPopulation?: number | null;
    allowedCountries: readonly string[];
    coolingOffYears: number;
  };
  rubric: readonly {
    key: string;
    name: string;
    maxScore: number;
    weight: number;
    anchors: readonly { score: number; text: string }[];
  }[];
  reviewersPerApplication: number;
  blindReview: boolean;
  disagreementThreshold: number;
  panel: readonly string[];
}

export function newCriterion(): CriterionRow {
  return { rowId: randomId(), key: "", name: "", maxScore: 5, weight: 1, anchors: [] };
}

export function newAnchor(): AnchorRow {
  return { rowId: randomId(), score: "", text: "" };
}

export function toLocalTime(iso: string): string {
  return dayjs(iso).format(LOCAL_TIME);
}

/** A new programme: opens in a week at 09:00, runs six weeks. */
export function emptyProgram(now = dayjs()): ProgramFormValues {
  const opens = now.add(7, "day").hour(9).minute(0).second(0);
  return {
    name: "",
    description: "",
    areas: [],
    opensAt: opens.format(LOCAL_TIME),
    closesAt: opens.add(6, "week").hour(17).format(LOCAL_TIME),
    currency: "USD",
    budget: "",
    maxAward: "",
    eligibility: {
      goodStandingRequired: true,
      partnershipRequirement: "ACTIVE",
      maxPopulation: "",
      allowedCountries: [],
      coolingOffYears: 0,
    },
    rubric: [newCriterion()],
    reviewersPerApplication: 2,
    blindReview: false,
    disagreementThreshold: 20,
    panel: [],
  };
}

export function programValues(p: ProgramLike): ProgramFormValues {
  return {
    name: p.name,
    description: p.description,
    areas: [...p.areas],
    opensAt: toLocalTime(p.opensAt),
    closesAt: toLocalTime(p.closesAt),
    currency: p.currency,
    budget: p.budgetCents / 100,
    maxAward: p.maxAwardCents / 100,
    eligibility: {
      goodStandingRequired: p.eligibility.goodStandingRequired,
      partnershipRequirement: p.eligibility.partnershipRequirement,
      maxPopulation: p.eligibility.maxPopulation ?? "",
      allowedCountries: [...p.eligibility.allowedCountries],
      coolingOffYears: p.eligibility.coolingOffYears,
    },
    rubric: p.rubric.map((c) => ({
      rowId: randomId(),
      key: c.key,
      name: c.name,
      maxScore: c.maxScore,
      weight: c.weight,
      anchors: c.anchors.map((a) => ({ rowId: randomId(), score: a.score, text: a.text })),
    })),
    reviewersPerApplication: p.reviewersPerApplication,
    blindReview: p.blindReview,
    disagreementThreshold: p.disagreementThreshold,
    panel: [...p.panel],
  };
}

function num(value: Num): number {
  return typeof value === "number" ? value : Number(value);
}

export function toCents(value: Num): number {
  return Math.round(num(value) * 100);
}

export function toProgramInput(v: ProgramFormValues): GrantProgramInput {
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    areas: v.areas,
    opensAt: dayjs(v.opensAt).toISOString(),
    closesAt: dayjs(v.closesAt).toISOString(),
    currency: v.currency.trim().toUpperCase(),
    budgetCents: toCents(v.budget),
    maxAwardCents: toCents(v.maxAward),
    eligibility: {
      goodStandingRequired: v.eligibility.goodStandingRequired,
      partnershipRequirement: v.eligibility.partnershipRequirement,
      maxPopulation: v.eligibility.maxPopulation === "" ? null : num(v.eligibility.maxPopulation),
      allowedCountries: v.eligibility.allowedCountries.map((c) => c.trim().toUpperCase()),
      coolingOffYears: num(v.eligibility.coolingOffYears),
    },
    rubric: v.rubric.map((c) => ({
      key: c.key.trim(),
      name: c.name.trim(),
      maxScore: num(c.maxScore),
      weight: num(c.weight),
      anchors: c.anchors.map((a) => ({ score: num(a.score), text: a.text.trim() })),
    })),
    reviewersPerApplication: num(v.reviewersPerApplication),
    blindReview: v.blindReview,
    disagreementThreshold: num(v.disagreementThreshold),
    panel: v.panel,
  };
}

/** "Community impact" -> "community_impact": a criterion's key from its name. */
export function keyFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
}

const blank = (value: Num) => value === "" || value === null || value === undefined;
const whole = (value: Num) => Number.isInteger(num(value));

function wholeAtLeast(value: Num, min: number, max?: number): string | null {
  if (blank(value)) return "Required";
  if (!whole(value)) return "Use a whole number";
  if (num(value) < min) return `Must be at least ${min}`;
  if (max !== undefined && num(value) > max) return `Must be at most ${max}`;
  return null;
}

function money(value: Num): string | null {
  if (blank(value)) return "Required";
  if (!(num(value) > 0)) return "Must be more than zero";
  return null;
}

/** The service's own rules, checked before sending (it checks them again). */
export const programValidation = {
  name: (v: string) => (!v.trim() ? "Give the programme a name" : v.length > 200 ? "At most 200 characters" : null),
  description: (v: string) => (v.length > 5000 ? "At most 5000 characters" : null),
  areas: (v: string[]) => (v.length === 0 ? "Choose at least one programme area" : null),
  opensAt: (v: string | null) => (!v ? "Give the opening date and time" : null),
  closesAt: (v: string | null, values: ProgramFormValues) =>
    !v
      ? "Give the closing date and time"
      : values.opensAt && !dayjs(v).isAfter(dayjs(values.opensAt))
        ? "Must be after the opening time"
        : null,
  currency: (v: string) => (/^[A-Za-z]{3}$/.test(v.trim()) ? null : "A three-letter code, e.g. USD"),
  budget: money,
  maxAward: (v: Num, values: ProgramFormValues) =>
    money(v) ?? (!blank(values.budget) && num(v) > num(values.budget) ? "Cannot exceed the total budget" : null),
  eligibility: {
    maxPopulation: (v: Num) => (blank(v) ? null : wholeAtLeast(v, 1)),
    allowedCountries: (v: string[]) => {
      const bad = v.filter((c) => !/^[A-Za-z]{2}$/.test(c.trim()));
      return bad.length ? `Not a two-letter country code: ${bad.join(", ")}` : null;
    },
    coolingOffYears: (v: Num) => wholeAtLeast(v, 0),
  },
  rubric: {
    key: (v: string, values: ProgramFormValues, path: string) => {
      if (!v.trim()) return "Required";
      if (v.trim().length > 40) return "At most 40 characters";
      const index = Number(path.split(".")[1]);
      const firstUse = values.rubric.findIndex((c) => c.key.trim() === v.trim());
      return firstUse !== index ? "Each criterion needs its own key" : null;
    },
    name: (v: string) => (!v.trim() ? "Required" : v.length > 200 ? "At most 200 characters" : null),
    maxScore: (v: Num) => wholeAtLeast(v, 1, 100),
    weight: (v: Num) => (blank(v) ? "Required" : num(v) > 0 ? null : "Must be more than zero"),
    anchors: {
      score: (v: Num, values: ProgramFormValues, path: string) => {
        const criterion = values.rubric[Number(path.split(".")[1])];
        const max = criterion && !blank(criterion.maxScore) ? num(criterion.maxScore) : undefined;
        return wholeAtLeast(v, 0, max);
      },
      text: (v: string) => (!v.trim() ? "Describe this score level" : v.length > 500 ? "At most 500 characters" : null),
    },
  },
  reviewersPerApplication: (v: Num) => wholeAtLeast(v, 1, 10),
  disagreementThreshold: (v: Num) =>
    blank(v) ? "Required" : num(v) < 0 || num(v) > 100 ? "Between 0 and 100 points" : null,
};

const ALIASES: Record<string, string> = { budgetCents: "budget", maxAwardCents: "maxAward" };

/** The API's field ("rubric[1].key", "maxAwardCents") as the form's path ("rubric.1.key", "maxAward"). */
export function formPath(field: string): string | null {
  let path = field.replace(/^input\./, "").replace(/\[(\d+)\]/g, ".$1");
  path = ALIASES[path] ?? path;
  path = path.replace(/^(rubric\.\d+\.anchors)\..*$/, "$1");
  const top = path.split(".")[0] ?? "";
  const known = [
    "name",
    "description",
    "areas",
    "opensAt",
    "closesAt",
    "currency",
    "budget",
    "maxAward",
    "eligibility",
    "rubric",
    "reviewersPerApplication",
    "blindReview",
    "disagreementThreshold",
    "panel",
  ];
  return known.includes(top) ? path : null;
}
