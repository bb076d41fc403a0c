import { describe, expect, it } from "vitest";
import { wheelPace, zoomKey, zoomWheel } from "./zoom";

const key = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = { ctrlKey: true }) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("the zoom keys", () => {
  it("zoom in with Ctrl and + (or = on a US keyboard), out with -, back with 0", () => {
    expect(zoomKey(key("+"))).toBe("in");
    expect(zoomKey(key("="))).toBe("in");
    expect(zoomKey(key("-"))).toBe("out");
    expect(zoomKey(key("0"))).toBe("reset");
    expect(zoomKey(key("+", { metaKey: true }))).toBe("in");
  });

  it("leave typing, other shortcuts and AltGr combinations alone", () => {
    expect(zoomKey(key("+", {}))).toBeNull();
    expect(zoomKey(key("0", {}))).toBeNull();
    expect(zoomKey(key("z"))).toBeNull();
    // AltGr arrives as Ctrl+Alt on Windows: AltGr+0 types "}" on a Swedish keyboard.
    expect(zoomKey(key("0", { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it("zoom with Ctrl and the wheel, and scroll without Ctrl", () => {
    expect(zoomWheel({ deltaY: -100, ctrlKey: true, metaKey: false })).toBe("in");
    expect(zoomWheel({ deltaY: 100, ctrlKey: true, metaKey: false })).toBe("out");
    expect(zoomWheel({ deltaY: 100, ctrlKey: false, metaKey: false })).toBeNull();
    expect(zoomWheel({ deltaY: 0, ctrlKey: true, metaKey: false })).toBeNull();
  });
});

describe("the wheel's pace", () => {
  it("lets one step through per 150 ms however many turns arrive", () => {
    const pace = wheelPace(150);
    const passed = [0, 10, 20, 149, 150, 160, 400].filter((t) => pace(t));
    expect(passed).toEqual([0, 150, 400]);
  });
});
