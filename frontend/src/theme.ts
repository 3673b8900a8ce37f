import { createTheme } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "blue",
  // Darker shades for text on light backgrounds: WCAG AA contrast.
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: "sm",
});
