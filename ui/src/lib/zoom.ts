// The zoom keys: Ctrl (⌘ on macOS) with + (or =), - or 0, and Ctrl with the mouse wheel. The
// shell zooms the window and keeps the level for the next start (the `zoom` command); the
// page only says which way. They work everywhere, an open dialog included.
import type { ZoomChange } from "./api";

/** Which way a key press zooms, or null when it is not a zoom key. */
export function zoomKey(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): ZoomChange | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  if (e.key === "+" || e.key === "=") return "in";
  if (e.key === "-" || e.key === "−") return "out";
  if (e.key === "0") return "reset";
  return null;
}

/** Which way a turn of the wheel zooms, or null without Ctrl (or ⌘). */
export function zoomWheel(e: Pick<WheelEvent, "deltaY" | "ctrlKey" | "metaKey">): ZoomChange | null {
  if (!(e.ctrlKey || e.metaKey) || e.deltaY === 0) return null;
  return e.deltaY < 0 ? "in" : "out";
}

/**
 * Lets through at most one step of the wheel per `ms`: a touchpad's pinch or a free-spinning
 * wheel sends many small turns at once, each of which would otherwise be a 20 % step.
 */
export function wheelPace(ms = 150): (now: number) => boolean {
  let last = -Infinity;
  return (now: number) => {
    if (now - last < ms) return false;
    last = now;
    return true;
  };
}
