import { describe, expect, it } from "vitest";
import { bandValues } from "./bands";

describe("a band's values", () => {
  it("are a range, or one value when the band holds one", () => {
    expect(bandValues({ min_value: 8, max_value: 15 })).toBe("8–15");
    expect(bandValues({ min_value: 16, max_value: 16 })).toBe("16");
  });
});
