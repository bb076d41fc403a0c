import { describe, expect, it } from "vitest";
import { contrast, textOn } from "./contrast";

describe("contrast", () => {
  it("gives WCAG's ratios for known pairs", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(contrast("#fff", "#ffffff")).toBeCloseTo(1, 5);
    expect(contrast("röd", "#ffffff")).toBeNull();
  });

  it("picks text that reads at 4.5:1 or better on every band colour of the default method and on any grey", () => {
    const bands = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828", "#4caf50", "#ffeb3b", "#ff9800", "#f44336"];
    const greys = Array.from({ length: 256 }, (_, v) => "#" + v.toString(16).padStart(2, "0").repeat(3));
    for (const bg of [...bands, ...greys]) {
      expect(contrast(bg, textOn(bg))!, bg).toBeGreaterThanOrEqual(4.5);
    }
  });
});
