// WCAG 2.1 contrast: relative luminance of an sRGB colour, the ratio between two, and the text
// colour (black or white) that reads best on a background such as a risk band's.

/** The colour `#rgb` or `#rrggbb` as [r, g, b] in 0–255, or null when it is not one. */
export function rgb(hex: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join("") : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG 2.1 relative luminance, 0 (black) to 1 (white). */
export function luminance([r, g, b]: [number, number, number]): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The contrast ratio of two colours, 1 to 21; null when either is not a colour. */
export function contrast(a: string, b: string): number | null {
  const x = rgb(a);
  const y = rgb(b);
  if (!x || !y) return null;
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever contrasts more with `background` (black when it is no colour). */
export function textOn(background: string): "#000000" | "#ffffff" {
  const black = contrast(background, "#000000") ?? 21;
  const white = contrast(background, "#ffffff") ?? 0;
  return black >= white ? "#000000" : "#ffffff";
}
