// The countries' outlines: world-atlas's TopoJSON, fetched as a file of the
// build (hashed, cached for good) rather than bundled as script: it is data,
// and JSON.parse reads it much faster than a script engine parses a literal.
import type { GeometryCollection, Topology } from "topojson-specification";
import countriesUrl from "world-atlas/countries-110m.json?url";

export type CountriesTopology = Topology<{ countries: GeometryCollection<{ name: string }> }>;

export async function loadCountries(): Promise<CountriesTopology> {
  const response = await fetch(countriesUrl);
  if (!response.ok) throw new Error(`the map's outlines: HTTP ${response.status}`);
  return (await response.json()) as CountriesTopology;
}
