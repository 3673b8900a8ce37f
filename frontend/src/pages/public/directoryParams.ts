// The directory's state lives in the URL query string, so a search can be
// shared and a reload keeps it: /directory?country=JP&search=kyoto&page=2.
import type {
  FocusRegion,
  PartnershipFilter,
  PartnershipOrder,
  PartnershipProgramArea,
  PartnershipStatus,
  PartnershipType,
} from "../../gql/graphql";

export const PAGE_SIZE = 25;

export interface DirectoryState {
  state: string | null;
  member: string | null;
  country: string | null;
  continent: string | null;
  focusRegion: FocusRegion | null;
  type: PartnershipType | null;
  status: PartnershipStatus | null;
  programArea: PartnershipProgramArea | null;
  recognized: boolean | null;
  search: string;
  order: PartnershipOrder;
  page: number;
  /** Where the page starts (the API's cursor), once known: a reload needs no look-up. */
  after: string | null;
}

export type FilterKey = Exclude<keyof DirectoryState, "order" | "page" | "after" | "search">;

const FOCUS: readonly FocusRegion[] = ["AFRICA", "SOUTHEAST_ASIA", "EAST_ASIA", "LATIN_AMERICA"];
const TYPES: readonly PartnershipType[] = ["SISTER", "FRIENDSHIP"];
const STATUSES: readonly PartnershipStatus[] = ["PROPOSED", "PENDING", "ACTIVE", "DORMANT", "TERMINATED"];
const AREAS: readonly PartnershipProgramArea[] = [
  "ARTS_CULTURE",
  "YOUTH_EDUCATION",
  "BUSINESS_TRADE",
  "COMMUNITY_DEVELOPMENT",
];
export const ORDERS: readonly PartnershipOrder[] = ["NAME_ASC", "NAME_DESC", "DATE_ASC", "DATE_DESC"];

function oneOf<T extends string>(values: readonly T[], raw: string | null): T | null {
  const value = raw?.trim().toUpperCase();
  return value && (values as readonly string[]).includes(value) ? (value as T) : null;
}

function code(raw: string | null, length: number): string | null {
  const value = raw?.trim().toUpperCase() ?? "";
  return new RegExp(`^[A-Z]{${length}}$`).test(value) ? value : null;
}

export function readDirectoryState(params: URLSearchParams): DirectoryState {
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  const recognized = params.get("recognized");
  const member = params.get("member")?.trim();
  const after = params.get("after")?.trim();
  const onPage = Number.isFinite(page) && page > 1 ? page : 1;
  return {
    state: code(params.get("state"), 2),
    member: member ? member : null,
    country: code(params.get("country"), 2),
    continent: code(params.get("continent"), 2),
    focusRegion: oneOf(FOCUS, params.get("focusRegion")),
    type: oneOf(TYPES, params.get("type")),
    status: oneOf(STATUSES, params.get("status")),
    programArea: oneOf(AREAS, params.get("programArea")),
    recognized: recognized === "true" ? true : recognized === "false" ? false : null,
    search: params.get("search") ?? "",
    order: oneOf(ORDERS, params.get("order")) ?? "NAME_ASC",
    page: onPage,
    after: onPage > 1 && after ? after : null,
  };
}

/** Only what differs from the defaults, in a stable order. */
export function writeDirectoryState(state: DirectoryState): URLSearchParams {
  const params = new URLSearchParams();
  const put = (key: string, value: string | null) => {
    if (value) params.set(key, value);
  };
  put("search", state.search.trim() ? state.search : null);
  put("country", state.country);
  put("continent", state.continent);
  put("focusRegion", state.focusRegion);
  put("state", state.state);
  put("member", state.member);
  put("type", state.type);
  put("programArea", state.programArea);
  put("status", state.status);
  put("recognized", state.recognized === null ? null : String(state.recognized));
  put("order", state.order === "NAME_ASC" ? null : state.order);
  put("page", state.page > 1 ? String(state.page) : null);
  put("after", state.page > 1 ? state.after : null);
  return params;
}

/** The API's filter: only what is set. */
export function toFilter(state: DirectoryState): PartnershipFilter {
  const filter: PartnershipFilter = {};
  if (state.state) filter.state = state.state;
  if (state.member) filter.memberId = state.member;
  if (state.country) filter.country = state.country;
  if (state.continent) filter.continent = state.continent;
  if (state.focusRegion) filter.focusRegion = state.focusRegion;
  if (state.type) filter.type = state.type;
  if (state.status) filter.status = state.status;
  if (state.programArea) filter.programArea = state.programArea;
  if (state.recognized !== null) filter.recognized = state.recognized;
  if (state.search.trim()) filter.search = state.search.trim();
  return filter;
}

export function activeFilterCount(state: DirectoryState): number {
  const keys: FilterKey[] = [
    "state",
    "member",
    "country",
    "continent",
    "focusRegion",
    "type",
    "status",
    "programArea",
    "recognized",
  ];
  return keys.filter((key) => state[key] !== null).length + (state.search.trim() ? 1 : 0);
}
