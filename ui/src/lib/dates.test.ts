import { describe, expect, it } from "vitest";
import { parseCount, parseDate } from "./dates";

describe("parseDate", () => {
  it("accepts empty and real ISO days", () => {
    expect(parseDate("")).toEqual({ ok: true, value: null });
    expect(parseDate(" 2026-02-28 ")).toEqual({ ok: true, value: "2026-02-28" });
    expect(parseDate("2028-02-29")).toEqual({ ok: true, value: "2028-02-29" });
  });
  it("refuses other forms and days that do not exist", () => {
    for (const bad of ["11/22/2026", "2026-2-1", "2026-02-30", "2027-02-29", "igår", "2026-13-01"]) {
      expect(parseDate(bad)).toEqual({ ok: false });
    }
  });
});

describe("parseCount", () => {
  it("accepts whole numbers and empty", () => {
    expect(parseCount("24")).toEqual({ ok: true, value: 24 });
    expect(parseCount("")).toEqual({ ok: true, value: null });
  });
  it("refuses decimals, negatives and words", () => {
    for (const bad of ["1.5", "-3", "tre", "1e3"]) expect(parseCount(bad)).toEqual({ ok: false });
  });
});
