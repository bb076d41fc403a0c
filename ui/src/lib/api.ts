// The one module that imports the generated bindings. Everything else in the UI imports
// types and calls from here, so a change of the Rust side shows up in one place.
import * as bindings from "./bindings";
export type * from "./bindings";
import type { IpcError } from "./bindings";
import { t } from "./messages";

export const api = bindings;
export const LABELS = bindings.LABELS;

/** Turns anything thrown by a command into a readable Swedish message. */
export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e && typeof (e as IpcError).message === "string") {
    return (e as IpcError).message;
  }
  if (typeof e === "string") return e;
  return t.errors.unknown;
}
