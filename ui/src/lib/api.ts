// The one module that imports the generated bindings. Everything else in the UI imports
// types and calls from here, so a change of the Rust side shows up in one place.
import * as bindings from "./bindings";
export type * from "./bindings";
import type { IpcError } from "./bindings";
import { t } from "./messages";
import { untrack } from "svelte";
import { inflight } from "./inflight.svelte";

type Commands = Omit<typeof bindings, "LABELS">;

// Every command, counted while in flight so that a slow one shows progress. The count is
// changed untracked: a view's effect that calls a command must not come to depend on it.
function tracked<F extends (...args: never[]) => Promise<unknown>>(f: F): F {
  return (async (...args: Parameters<F>) => {
    untrack(() => (inflight.count += 1));
    try {
      return await f(...args);
    } finally {
      untrack(() => (inflight.count -= 1));
    }
  }) as F;
}

export const api = Object.fromEntries(
  Object.entries(bindings)
    .filter(([, v]) => typeof v === "function")
    .map(([k, f]) => [k, tracked(f as (...args: never[]) => Promise<unknown>)]),
) as unknown as Commands;
export const LABELS = bindings.LABELS;

/** Turns anything thrown by a command into a readable Swedish message. */
export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e && typeof (e as IpcError).message === "string") {
    return (e as IpcError).message;
  }
  if (typeof e === "string") return e;
  return t.errors.unknown;
}

/** The nil id: a record with it is new, and the core gives it an id when it is saved. */
export const NIL = "00000000-0000-0000-0000-000000000000";

/** The common fields of a record not yet saved; the core sets them on insert. */
export function unsaved() {
  const now = new Date().toISOString();
  return { id: NIL, origin: NIL, revision: 0, created_at: now, updated_at: now };
}
