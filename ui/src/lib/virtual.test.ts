import { describe, expect, it } from "vitest";
import { scrollToRow, visibleWindow } from "./virtual";

describe("visibleWindow", () => {
  it("renders only the rows on screen plus overscan", () => {
    const w = visibleWindow(5000, 32, 32 * 1000, 640, 8);
    expect(w.start).toBe(992);
    expect(w.end).toBe(1000 + 21 + 8);
    expect(w.end - w.start).toBeLessThan(60);
    expect(w.padTop + (w.end - w.start) * 32 + w.padBottom).toBe(5000 * 32);
  });

  it("clamps at the ends and handles an empty list", () => {
    expect(visibleWindow(0, 32, 0, 640)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    const top = visibleWindow(10, 32, -50, 640);
    expect(top.start).toBe(0);
    expect(top.end).toBe(10);
    const bottom = visibleWindow(100, 32, 99999, 640);
    expect(bottom.end).toBe(100);
    expect(bottom.padBottom).toBe(0);
  });
});

describe("scrollToRow", () => {
  it("scrolls only when the row is outside the viewport", () => {
    expect(scrollToRow(5, 32, 0, 640)).toBeNull();
    expect(scrollToRow(30, 32, 0, 640)).toBe(30 * 32 + 32 - 640);
    expect(scrollToRow(2, 32, 320, 640)).toBe(64);
  });
});
