import { createTheme, type PartialTheme, type Theme } from "@fluentui/react";

/** The tokens of the host's Fluent 9 theme (`context.fluentDesignLanguage.tokenTheme`) this panel maps. */
export type TokenTheme = Partial<Record<string, string | number>>;

/**
 * A Fluent 8 theme from the app's design tokens, so the panel follows the app's brand and dark mode
 * without the global loadTheme (which would restyle the whole host page).
 */
export function themeFromTokens(tokens: TokenTheme | undefined): Theme | undefined {
  if (!tokens) return undefined;
  const color = (name: string) => (typeof tokens[name] === "string" ? tokens[name] : undefined);
  const partial: PartialTheme = {
    palette: definedOnly({
      themePrimary: color("colorBrandBackground"),
      themeDarkAlt: color("colorBrandBackgroundHover"),
      themeDark: color("colorBrandBackgroundPressed"),
      themeLighter: color("colorBrandBackground2"),
      neutralPrimary: color("colorNeutralForeground1"),
      neutralSecondary: color("colorNeutralForeground2"),
      white: color("colorNeutralBackground1"),
    }),
    semanticColors: definedOnly({
      bodyBackground: color("colorNeutralBackground1"),
      bodyText: color("colorNeutralForeground1"),
      errorText: color("colorPaletteRedForeground1"),
    }),
  };
  return createTheme(partial);
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}
