// A world map shaded by partnerships per country, drawn with d3-geo from
// world-atlas's TopoJSON (a file of the build: no tile server, works offline).
// Loaded lazily: only the statistics page pulls this code and the map data.
import { Box, Group, Stack, Text } from "@mantine/core";
import { geoNaturalEarth1, geoPath } from "d3-geo";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import { use, useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { feature } from "topojson-client";

import { formatNumber } from "../../components/format";
import { type CountriesTopology, loadCountries } from "./geo/countries";
import { NAME_TO_ALPHA2, NUMERIC_TO_ALPHA2 } from "./geo/isoNumeric";

export interface CountryCount {
  code: string;
  name: string;
  count: number;
}

/** Lower bounds of the shading classes (0 has its own grey). */
const BUCKETS: readonly { min: number; max: number | null; color: string }[] = [
  { min: 1, max: 4, color: "var(--mantine-color-blue-2)" },
  { min: 5, max: 19, color: "var(--mantine-color-blue-4)" },
  { min: 20, max: 49, color: "var(--mantine-color-blue-6)" },
  { min: 50, max: 199, color: "var(--mantine-color-blue-8)" },
  { min: 200, max: null, color: "var(--mantine-color-blue-9)" },
];
const NONE = "var(--mantine-color-gray-2)";
/** The members' own country. */
const HOME = "var(--mantine-color-orange-3)";

function shade(count: number): string {
  let color = NONE;
  for (const bucket of BUCKETS) if (count >= bucket.min) color = bucket.color;
  return color;
}

const WIDTH = 960;
const HEIGHT = 480;

interface CountryShape {
  key: string;
  code: string | null;
  name: string;
  d: string;
}

type CountryProps = { name: string };

let drawnOnce: Promise<CountryShape[] | null> | null = null;

/** The countries' outlines, fetched and projected once (the same for every
 * visit); null when they cannot be fetched: the table still has the numbers. */
function shapes(): Promise<CountryShape[] | null> {
  drawnOnce ??= loadCountries().then(project, () => {
    drawnOnce = null; // the next visit tries again
    return null;
  });
  return drawnOnce;
}

/** Lets the browser paint and answer input between slices of a long job. */
const yieldToMain = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Projecting 176 countries takes a phone some 150 ms: in slices of at most
 * about a frame, so the page stays responsive while the map is drawn. */
async function project(topology: CountriesTopology): Promise<CountryShape[]> {
  const collection = feature(topology, topology.objects.countries) as FeatureCollection<Geometry, CountryProps>;
  // Antarctica has no partners and takes a fifth of the height.
  const land: Feature<Geometry, CountryProps>[] = collection.features.filter((f) => f.id !== "010");
  await yieldToMain();
  const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: "FeatureCollection", features: land });
  const path = geoPath(projection);
  const shapes: CountryShape[] = [];
  let slice = performance.now();
  for (const [i, f] of land.entries()) {
    if (performance.now() - slice > 12) {
      await yieldToMain();
      slice = performance.now();
    }
    const id = f.id === undefined ? undefined : String(f.id);
    const code = (id && NUMERIC_TO_ALPHA2[id]) || NAME_TO_ALPHA2[f.properties.name] || null;
    shapes.push({ key: `${id ?? f.properties.name}-${i}`, code, name: f.properties.name, d: path(f) ?? "" });
  }
  return shapes;
}

export function WorldMap({ counts }: { counts: readonly CountryCount[] }) {
  const drawn = use(shapes());
  if (!drawn) {
    return (
      <Text size="sm" c="gray.7">
        The map could not be loaded; the table below lists the countries.
      </Text>
    );
  }
  return <DrawnMap drawn={drawn} counts={counts} />;
}

function DrawnMap({ drawn, counts }: { drawn: CountryShape[]; counts: readonly CountryCount[] }) {
  const navigate = useNavigate();
  const byCode = useMemo(() => new Map(counts.map((c) => [c.code, c])), [counts]);
  const [hovered, setHovered] = useState<string | null>(null);
  const hoveredShape = hovered ? drawn.find((s) => s.key === hovered) : undefined;
  const hoveredCount = hoveredShape?.code ? byCode.get(hoveredShape.code) : undefined;

  return (
    <Stack gap="xs">
      <Box style={{ position: "relative" }}>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width="100%"
          role="img"
          aria-labelledby="world-map-title world-map-desc"
          data-testid="world-map"
          style={{ display: "block", height: "auto" }}
        >
          <title id="world-map-title">World map of partnerships by country</title>
          <desc id="world-map-desc">
            Countries are shaded by their number of partnerships with U.S. member communities; the table below lists
            them.
          </desc>
          <g>
            {drawn.map((shape) => {
              const entry = shape.code ? byCode.get(shape.code) : undefined;
              const count = entry?.count ?? 0;
              const active = hovered === shape.key;
              const home = shape.code === "US";
              return (
                <path
                  key={shape.key}
                  d={shape.d}
                  data-country={shape.code ?? undefined}
                  data-count={count}
                  style={{
                    fill: home ? HOME : shade(count),
                    stroke: active ? "var(--mantine-color-orange-6)" : "var(--mantine-color-white)",
                    strokeWidth: active ? 1.5 : 0.5,
                    cursor: count > 0 ? "pointer" : "default",
                  }}
                  onMouseEnter={() => setHovered(shape.key)}
                  onMouseLeave={() => setHovered((h) => (h === shape.key ? null : h))}
                  onClick={() => {
                    if (count > 0 && shape.code) navigate(`/directory?country=${shape.code}`);
                  }}
                >
                  <title>
                    {home
                      ? "United States: the member communities"
                      : `${entry?.name ?? shape.name}: ${formatNumber(count)} ${count === 1 ? "partnership" : "partnerships"}`}
                  </title>
                </path>
              );
            })}
          </g>
        </svg>
      </Box>
      <Group justify="space-between" align="center" wrap="wrap" gap="xs">
        <Legend />
        <Text size="sm" c="gray.7" aria-hidden mih={20}>
          {hoveredShape?.code === "US"
            ? "United States: the member communities"
            : hoveredShape
            ? `${hoveredCount?.name ?? hoveredShape.name}: ${formatNumber(hoveredCount?.count ?? 0)} partnerships`
            : "Point at a country for its number; click to list its partnerships."}
        </Text>
      </Group>
    </Stack>
  );
}

export function Legend() {
  const items = [
    { label: "None", color: NONE },
    ...BUCKETS.map((b) => ({ label: b.max === null ? `${b.min}+` : `${b.min}–${b.max}`, color: b.color })),
    { label: "United States (members)", color: HOME },
  ];
  return (
    <Group gap="sm" wrap="wrap" role="list" aria-label="Legend: partnerships per country">
      {items.map((item) => (
        <Group key={item.label} gap={6} wrap="nowrap" role="listitem">
          <Box
            w={18}
            h={12}
            style={{ background: item.color, border: "1px solid var(--mantine-color-gray-4)", borderRadius: 2 }}
            aria-hidden
          />
          <Text size="xs">{item.label}</Text>
        </Group>
      ))}
    </Group>
  );
}
