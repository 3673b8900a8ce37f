import { createTheme, darken, DEFAULT_THEME, type CSSVariablesResolver } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "blue",
  // Darker shades for text on light backgrounds: WCAG AA contrast.
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: "sm",
});

// How much darker than shade 9 the text of light, subtle and outline variants
// must be to reach 4.5:1 on their tinted backgrounds (yellows are the palest).
const DARKEN: Record<string, number> = { yellow: 0.5, orange: 0.35, lime: 0.45, green: 0.2, teal: 0.15 };

/** Mantine's default text shades (6 of 10) fail WCAG AA on white and on tints. */
export const cssVariablesResolver: CSSVariablesResolver = () => {
  const light: Record<string, string> = {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-7)",
  };
  for (const [name, shades] of Object.entries(DEFAULT_THEME.colors)) {
    const text = darken(shades[9], DARKEN[name] ?? 0.1);
    light[`--mantine-color-${name}-light-color`] = text;
    light[`--mantine-color-${name}-outline`] = text;
    light[`--mantine-color-${name}-text`] = text;
  }
  return { variables: {}, light, dark: {} };
};
