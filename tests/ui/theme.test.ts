import { themeFromTokens } from "../../src/ui/theme";

describe("themeFromTokens", () => {
  it("leaves the host's theme alone when the app gives no design language", () => {
    expect(themeFromTokens(undefined)).toBeUndefined();
  });

  it("maps the app's brand and neutral tokens onto a Fluent 8 theme", () => {
    const theme = themeFromTokens({
      colorBrandBackground: "#8a2be2",
      colorNeutralBackground1: "#1f1f1f",
      colorNeutralForeground1: "#ffffff",
    });
    expect(theme?.palette.themePrimary).toBe("#8a2be2");
    expect(theme?.semanticColors.bodyBackground).toBe("#1f1f1f");
    expect(theme?.semanticColors.bodyText).toBe("#ffffff");
  });

  it("ignores tokens that are not colours", () => {
    expect(themeFromTokens({ colorBrandBackground: 4 })?.palette.themePrimary).toBe("#0078d4");
  });
});
